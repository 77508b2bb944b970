#!/usr/bin/env node
/** Runs the CLI from source (`node --import tsx src/cli/entry.ts ...`); the published bin uses dist/. */
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
