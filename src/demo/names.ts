/**
 * Word lists for the demo community's plausible names: artists and albums by
 * style, shoe brands and models, customers. Everything is picked with the
 * seeded Rng, so the same seed names everything the same way.
 */
import type { Rng } from "../core/rng.js";

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)]!;
}

export const FIRST_NAMES = [
  "Maya",
  "Leo",
  "Ada",
  "Omar",
  "Ines",
  "Noah",
  "Zara",
  "Felix",
  "Hana",
  "Jonas",
  "Lucia",
  "Kofi",
  "Mira",
  "Theo",
  "Anya",
  "Ravi",
  "Elena",
  "Sami",
  "Clara",
  "Diego",
  "Nora",
  "Tariq",
  "Yuki",
  "Ben",
  "Freya",
  "Malik",
  "Ivy",
  "Pablo",
  "Sofia",
  "Arjun",
  "Greta",
  "Idris",
  "Lena",
  "Marco",
  "Priya",
  "Hugo",
  "Amara",
  "Emil",
  "Rosa",
  "Kenji",
  "Alma",
  "Dev",
  "Esme",
  "Joel",
  "Nadia",
  "Oscar",
  "Leila",
  "Ruben",
  "Tess",
  "Viktor",
];

export const LAST_NAMES = [
  "Okafor",
  "Lindqvist",
  "Moreau",
  "Haddad",
  "Tanaka",
  "Novak",
  "Ferreira",
  "Kowalski",
  "Mensah",
  "Rossi",
  "Singh",
  "Andersen",
  "Costa",
  "Nakamura",
  "Brennan",
  "Duarte",
  "Fischer",
  "Garcia",
  "Holm",
  "Ibrahim",
  "Jensen",
  "Khan",
  "Laurent",
  "Mbeki",
  "Nilsson",
  "Ortiz",
  "Petrov",
  "Quinn",
  "Reyes",
  "Sato",
  "Torres",
  "Ueda",
  "Varga",
  "Weiss",
  "Yilmaz",
  "Zhou",
  "Abbott",
  "Bianchi",
  "Carver",
  "Dalton",
];

const ADJECTIVES = [
  "Velvet",
  "Silver",
  "Electric",
  "Midnight",
  "Golden",
  "Crimson",
  "Quiet",
  "Wild",
  "Hollow",
  "Blue",
  "Neon",
  "Paper",
  "Iron",
  "Lucky",
  "Restless",
  "Distant",
  "Burning",
  "Gentle",
  "Broken",
  "Northern",
  "Salt",
  "Amber",
];

const NOUNS = [
  "Foxes",
  "Harbors",
  "Engines",
  "Sparrows",
  "Lanterns",
  "Rivers",
  "Wolves",
  "Satellites",
  "Orchards",
  "Tides",
  "Ghosts",
  "Mirrors",
  "Pilots",
  "Ravens",
  "Cities",
  "Horses",
  "Echoes",
  "Comets",
];

const ALBUM_WORDS: Record<string, readonly string[]> = {
  rock: ["Thunder", "Highway", "Static", "Fever", "Concrete", "Riot", "Overdrive", "Wreckage", "Neon Nights"],
  jazz: ["Blue Hour", "Nocturne", "Smoke", "Standards", "Lullaby", "Afterglow", "Swing Street", "Sketches"],
  soul: ["Heartache", "Sweet Talk", "Devotion", "Sunday Morning", "Tenderness", "Slow Burn", "Honey"],
  electronic: ["Pulse", "Circuits", "Afterhours", "Signal", "Warehouse", "Drift", "Polygon", "Voltage"],
  folk: ["Hillside", "Harvest", "Old Roads", "Kindling", "Wildflowers", "River Songs", "Home Fires"],
  classical: ["Sonatas", "Preludes", "Symphony No. 3", "Nocturnes", "Variations", "Concertos", "Requiem"],
  "hip-hop": ["Blocks", "Cipher", "Mixtape", "Hustle", "Skyline", "Bars", "Street Poems", "Boom Bap"],
  blues: ["Crossroads", "Delta", "Midnight Train", "Hard Times", "Muddy Water", "Lonesome", "Whiskey"],
  reggae: ["Roots", "Island Time", "Dub Session", "Rebel", "Sunsplash", "Irie", "One Love"],
  country: ["Dust", "Back Porch", "Long Haul", "Prairie", "Tailgate", "Honky Tonk", "Small Town"],
};

const COMPOSERS = ["Brahms", "Haydn", "Chopin", "Ravel", "Bach", "Dvořák", "Schubert", "Debussy", "Sibelius"];
const ENSEMBLES = ["Vienna Chamber Orchestra", "Aurora Quartet", "Lisbon Philharmonic", "Nordic Strings"];

/** A plausible artist name in a style. */
export function artistName(rng: Rng, style: string): string {
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  switch (style) {
    case "rock":
      return `The ${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`;
    case "jazz":
      return `${first} ${last} ${pick(rng, ["Quartet", "Trio", "Quintet", "Ensemble"])}`;
    case "soul":
      return `${first} ${last} & the ${pick(rng, NOUNS)}`;
    case "electronic":
      return `${pick(rng, ADJECTIVES)} ${pick(rng, ["Circuit", "Grid", "Machine", "Signal", "Pulse"])}`;
    case "classical":
      return `${pick(rng, ENSEMBLES)} plays ${pick(rng, COMPOSERS)}`;
    case "hip-hop":
      return `${pick(rng, ["MC", "Lil", "Big", "Young"])} ${last}`;
    case "blues":
      return `${pick(rng, ["Blind", "Muddy", "Lightnin'", "Slim"])} ${first} ${last}`;
    case "reggae":
      return `${first} ${last} & the ${pick(rng, ["Roots", "Rebels", "Wailers", "Skankers"])}`;
    case "country":
      return `${first} ${last} ${pick(rng, ["", "and the Ramblers", "Band"])}`.trim();
    default:
      return `${first} ${last}`;
  }
}

/** A plausible album title in a style. */
export function albumTitle(rng: Rng, style: string): string {
  const word = pick(rng, ALBUM_WORDS[style] ?? NOUNS);
  return rng.next() < 0.5 ? `${pick(rng, ADJECTIVES)} ${word}` : word;
}

export const SHOE_BRANDS = [
  "Northfield",
  "Ashby & Cole",
  "Stridewell",
  "Kestrel",
  "Marlowe",
  "Tern",
  "Oakhurst",
  "Velo",
  "Brightside",
];

const SHOE_MODELS: Record<string, readonly string[]> = {
  runners: ["Tempo", "Glide", "Pacer", "Cloudline", "Sprint"],
  boots: ["Chelsea", "Ranger", "Highland", "Harbour", "Winter"],
  loafers: ["Penny", "Tassel", "Riviera", "Mayfair"],
  sandals: ["Breeze", "Cove", "Sol", "Strand"],
  sneakers: ["Court", "Low Top", "Canvas", "Retro 86", "Skate"],
  brogues: ["Oxford", "Derby", "Wingtip", "Longwing"],
  trail: ["Ridge", "Summit", "Scree", "Fell"],
  heels: ["Stiletto", "Block", "Kitten", "Slingback"],
};

/** A plausible shoe model name in a style. */
export function shoeName(rng: Rng, style: string, brand: string): string {
  return `${brand} ${pick(rng, SHOE_MODELS[style] ?? ["Classic"])} ${pick(rng, ["", "II", "3", "Pro", "Lite"])}`.trim();
}

export const COLORS = ["black", "brown", "tan", "white", "navy", "olive", "burgundy", "grey"];
export const CITIES = ["London", "Lisbon", "Berlin", "New York", "Toronto", "Lagos", "Osaka", "Melbourne"];
