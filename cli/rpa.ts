#!/usr/bin/env node
// The `rpa` command (cli/main.ts dispatches to one thin file per sub-command).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
