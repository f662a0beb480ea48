#!/usr/bin/env node
// The `concord` command (package.json "bin"): runs cli/bin.ts through tsx, as the project's other scripts run.
require('tsx/cjs');
require('../cli/bin.ts');
