#!/usr/bin/env node
// The published entry point: the compiled CLI. `npm install` builds dist/ (prepare script).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
