/** The offline demo community (music and shoes, taste groups) used by `kindred demo`. */
export { type DemoItem, generateCatalogue, MUSIC_STYLES, SHOE_SIZES, SHOE_STYLES } from "./catalogue.js";
export { DEMO_DOMAINS, type DemoCommunity, type DemoOptions, generateCommunity } from "./community.js";
export {
  DEMO_MODELS,
  DEMO_SETTING,
  type DemoSetup,
  ensureDemoCommunity,
  ensureDemoModels,
  sampleCustomer,
} from "./setup.js";
export { type WriteReport, writeCommunity } from "./write.js";
