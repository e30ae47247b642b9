#!/usr/bin/env node
import { applyPatchMain } from "../dist/apply-patch-cli.js";

applyPatchMain(process.argv.slice(2));
