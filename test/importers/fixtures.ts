/** Small MovieLens-shaped folders and CSV/JSONL files written to temp dirs, byte for byte. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(os.tmpdir(), "kindred-import-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes text as latin-1 bytes (é becomes the single byte 0xE9, as in u.item). */
export function writeLatin1(path: string, text: string): void {
  writeFileSync(path, Buffer.from(text, "latin1"));
}

const flags = (on: number[]): string => Array.from({ length: 19 }, (_, g) => (on.includes(g) ? "1" : "0")).join("|");

/** ml-100k: 3 users, 3 items (one latin-1 title), 7 rating lines of which 2 are bad (lines 3 and 5). */
export function writeMl100k(dir: string): void {
  writeLatin1(
    join(dir, "u.genre"),
    "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\nCrime|6\nDocumentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\nRomance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n\n",
  );
  writeLatin1(
    join(dir, "u.item"),
    `${[
      `1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|${flags([3, 4, 5])}`,
      `2|Misérables, Les (1995)|01-Jan-1995||http://x|${flags([8])}`,
      `3|Unknown (1996)|||http://y|${flags([0])}`,
    ].join("\n")}\n`,
  );
  writeLatin1(join(dir, "u.user"), "1|24|M|technician|85711\n2|53|F|other|94043\n3|23|M|writer|32067\n");
  writeLatin1(
    join(dir, "u.data"),
    `${[
      "1\t1\t5\t874965758",
      "1\t2\t3\t876893171",
      "2\t1\t7\t878542960", // off the scale
      "2\t3\t4\t876893119",
      "3\t1\tfour\t889751712", // not a number
      "3\t2\t2\t875071561",
      "3\t3\t1\t875072484",
    ].join("\n")}\n`,
  );
}

/** ml-1m: `::`-separated, latin-1, 2 users, 2 movies, 4 ratings of which 1 is bad (line 2). */
export function writeMl1m(dir: string): void {
  writeLatin1(
    join(dir, "movies.dat"),
    "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Cité des enfants perdus, La (1995)::Adventure|Sci-Fi\n",
  );
  writeLatin1(join(dir, "users.dat"), "1::F::1::10::48067\n2::M::56::16::70072\n");
  writeLatin1(
    join(dir, "ratings.dat"),
    "1::1::5::978300760\n1::2::0::978302109\n2::1::3::978301968\n2::2::4::978300275\n",
  );
}

/** ml-latest-small: CSV with header, CRLF, quoted commas, half stars; 2 bad ratings (lines 4 and 6). */
export function writeMlLatest(dir: string): void {
  const crlf = (lines: string[]) => `${lines.join("\r\n")}\r\n`;
  writeFileSync(
    join(dir, "movies.csv"),
    crlf([
      "movieId,title,genres",
      "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
      '11,"American President, The (1995)",Comedy|Drama|Romance',
      '99,"Say ""Hello"" (2001)",(no genres listed)',
    ]),
  );
  writeFileSync(join(dir, "links.csv"), crlf(["movieId,imdbId,tmdbId", "1,0114709,862", "11,0112346,9087"]));
  writeFileSync(
    join(dir, "ratings.csv"),
    crlf([
      "userId,movieId,rating,timestamp",
      "1,1,4.0,964982703",
      "1,11,3.5,964981247",
      "1,99,5.5,964982224", // off the scale
      "2,1,0.5,964983815",
      "2,11,2.25,964982931", // not on a half star
      "2,99,5.0,964982400",
    ]),
  );
}
