/**
 * Learning-rate schedules for the SGD epoch loop: the step size of epoch e as
 * a multiple of the configured one.
 *
 * - constant: 1;
 * - exponential: decay^e (Koren, Bell & Volinsky 2009 shrink γ each sweep);
 * - bold driver (Battiti 1989; Gemulla et al. 2011 for matrix factorisation):
 *   ×1.05 after an epoch that lowered the training loss, ×decay after one that
 *   raised it.
 */
export const SCHEDULES = ["constant", "exponential", "bold-driver"] as const;
export type Schedule = (typeof SCHEDULES)[number];

export class LearningRate {
  private scale = 1;
  private lastLoss = Number.POSITIVE_INFINITY;

  constructor(
    private readonly schedule: Schedule,
    private readonly decay: number,
  ) {}

  /** The multiplier for epoch `epoch` (0-based). */
  at(epoch: number): number {
    if (this.schedule === "exponential") return this.decay ** epoch;
    return this.scale;
  }

  /** Tells the schedule the training loss of the epoch just run. */
  observe(loss: number): void {
    if (this.schedule !== "bold-driver") return;
    if (Number.isFinite(this.lastLoss)) this.scale *= loss < this.lastLoss ? 1.05 : this.decay;
    this.lastLoss = loss;
  }
}
