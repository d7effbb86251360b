// Finds user-visible text in the web app that does not come from the language catalogs, and the catalog
// keys the app uses. Templates are read with Vue's own SFC parser and expressions with Babel (both come
// with Vue), so what counts is what Vue would render, not what a regular expression guesses:
// - a text node with a letter in it ("Save", not "·" or "…");
// - a user-visible attribute or prop given as a literal (placeholder="…", title="…", label="…"), or bound
//   to an expression whose result can be a string literal with a letter (`:title="`Delete ${x}?`"`,
//   `{{ busy ? "Saving…" : "Save" }}`);
// - in scripts (<script> blocks, src/lib, src/stores), a string that reads as prose: two words or more.
// An element marked translate="no" (HTML's own "do not translate": code samples, the product's name) is
// left out with everything inside it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseExpression, parse as parseScript } from "@babel/parser";
import { parse as parseSfc } from "@vue/compiler-sfc";
import en from "../../../packages/web/src/i18n/messages/en/index.js";

export interface Finding {
  /** Relative to the repository root. */
  file: string;
  line: number;
  /** text | attribute | expression | script */
  kind: string;
  text: string;
}

export interface KeyUse {
  file: string;
  line: number;
  key: string;
  /** A key built at run time from this prefix (`common.roles.${role}`): the prefix must name a group. */
  prefix: boolean;
}

export interface FileReport {
  findings: Finding[];
  keys: KeyUse[];
}

/** Attributes and component props that people read or hear (screen readers read aria-* labels). */
const VISIBLE_ATTRIBUTES = new Set([
  "placeholder",
  "title",
  "alt",
  "aria-label",
  "aria-description",
  "aria-placeholder",
  "aria-roledescription",
  "aria-valuetext",
  "label",
  "help",
  "message",
  "error",
  "detail",
  "confirm-label",
  "submit-label",
]);

/** The translation functions: their first argument is a catalog key. */
const TRANSLATE = new Set(["t", "$t", "te", "tm"]);

/** A string naming a catalog message: "peers.table.columns.name". */
const KEY_LITERAL = new RegExp(`^(${Object.keys(en).join("|")})\\.[A-Za-z0-9_.]+$`);

const LETTER = /\p{L}/u;
/** Two words of two letters or more, separated by spaces only: "Not found", "no node available". */
const PROSE = /\p{L}{2,} +\p{L}{2,}/u;
/** Strings that are code, not prose: CSS selectors, markup, expressions. */
const CODE = /[[\]{}=<>;#]|^\s*\./;

type BabelNode = { type: string; loc?: { start: { line: number } } | null; [key: string]: unknown };

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function children(node: BabelNode): BabelNode[] {
  const out: BabelNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "extra" || key.endsWith("Comments") || key === "start" || key === "end")
      continue;
    if (Array.isArray(value)) {
      for (const item of value)
        if (item && typeof item === "object" && "type" in item) out.push(item as BabelNode);
    } else if (value && typeof value === "object" && "type" in value) out.push(value as BabelNode);
  }
  return out;
}

/** The string literals an expression can evaluate to (not ones it compares with or passes to calls). */
function resultLiterals(node: BabelNode): string[] {
  switch (node.type) {
    case "StringLiteral":
      return LETTER.test(node.value as string) ? [node.value as string] : [];
    case "TemplateLiteral": {
      const quasis = (node.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked);
      const own = quasis.some((q) => LETTER.test(q)) ? [quasis.join("{…}")] : [];
      return [...own, ...(node.expressions as BabelNode[]).flatMap(resultLiterals)];
    }
    case "ConditionalExpression":
      return [
        ...resultLiterals(node.consequent as BabelNode),
        ...resultLiterals(node.alternate as BabelNode),
      ];
    case "LogicalExpression":
      return [...resultLiterals(node.left as BabelNode), ...resultLiterals(node.right as BabelNode)];
    case "BinaryExpression":
      return node.operator === "+"
        ? [...resultLiterals(node.left as BabelNode), ...resultLiterals(node.right as BabelNode)]
        : [];
    case "TSAsExpression":
    case "TSNonNullExpression":
    case "ParenthesizedExpression":
      return resultLiterals(node.expression as BabelNode);
    case "SequenceExpression": {
      const expressions = node.expressions as BabelNode[];
      const last = expressions[expressions.length - 1];
      return last ? resultLiterals(last) : [];
    }
    default:
      return [];
  }
}

function calleeName(node: BabelNode): string | null {
  const callee = node.callee as BabelNode;
  if (callee.type === "Identifier") return callee.name as string;
  if (callee.type === "MemberExpression" && (callee.property as BabelNode).type === "Identifier")
    return (callee.property as BabelNode).name as string;
  return null;
}

/** Catalog keys passed to t()/$t()/te() anywhere in a tree, with the line they are on. */
function keysIn(root: BabelNode, lineOffset: number): Omit<KeyUse, "file">[] {
  const found: Omit<KeyUse, "file">[] = [];
  const visit = (node: BabelNode) => {
    if (node.type === "CallExpression" && TRANSLATE.has(calleeName(node) ?? "")) {
      const first = (node.arguments as BabelNode[])[0];
      const line = lineOffset + (node.loc?.start.line ?? 1) - 1;
      if (first?.type === "StringLiteral") found.push({ line, key: first.value as string, prefix: false });
      else if (first?.type === "TemplateLiteral") {
        const head = (first.quasis as { value: { cooked: string } }[])[0]?.value.cooked ?? "";
        if (head.endsWith(".")) found.push({ line, key: head.slice(0, -1), prefix: true });
      }
    }
    for (const child of children(node)) visit(child);
  };
  visit(root);
  return found;
}

/**
 * Strings in code that read as prose, skipping module paths, object keys, translation keys, comparisons
 * (`status === "not checked"`), TypeScript types and errors thrown for developers.
 */
function proseIn(root: BabelNode, lineOffset: number): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  const check = (text: string, node: BabelNode) => {
    if (PROSE.test(text) && !CODE.test(text))
      found.push({ line: lineOffset + (node.loc?.start.line ?? 1) - 1, text });
  };
  const visit = (node: BabelNode, parent: BabelNode | null) => {
    switch (node.type) {
      case "ImportDeclaration":
      case "ExportAllDeclaration":
      case "TSTypeAnnotation":
      case "TSTypeAliasDeclaration":
      case "TSInterfaceDeclaration":
      case "TSLiteralType":
      case "NewExpression": // new Error("…"): for developers and logs
        return;
      case "CallExpression":
        if (TRANSLATE.has(calleeName(node) ?? "")) return;
        break;
      case "BinaryExpression":
        if (["===", "!==", "==", "!="].includes(node.operator as string)) return;
        break;
      case "SwitchCase":
        for (const child of node.consequent as BabelNode[]) visit(child, node);
        return;
      case "StringLiteral":
        if (parent?.type === "ObjectProperty" && parent.key === node) return;
        check(node.value as string, node);
        return;
      case "TemplateLiteral":
        check((node.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked).join(" "), node);
        break;
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(root, null);
  return found;
}

function expression(source: string): BabelNode | null {
  try {
    return parseExpression(source, { plugins: ["typescript"] }) as unknown as BabelNode;
  } catch {
    return null;
  }
}

function statements(source: string): BabelNode | null {
  try {
    return parseScript(source, { sourceType: "module", plugins: ["typescript"] }) as unknown as BabelNode;
  } catch {
    return null;
  }
}

interface TemplateNode {
  type: number;
  tag?: string;
  content?: unknown;
  props?: TemplateProp[];
  children?: TemplateNode[];
  loc: { start: { line: number } };
}
interface TemplateProp {
  type: number;
  name: string;
  value?: { content: string };
  arg?: { content: string };
  exp?: { content: string; loc: { start: { line: number } } };
  loc: { start: { line: number } };
}

const ROOT = 0;
const ELEMENT = 1;
const TEXT = 2;
const INTERPOLATION = 5;
const ATTRIBUTE = 6;
const DIRECTIVE = 7;

function checkTemplate(root: TemplateNode, file: string, report: FileReport): void {
  const visit = (node: TemplateNode) => {
    const line = node.loc.start.line;
    if (node.type === TEXT) {
      const text = String(node.content ?? "").trim();
      if (LETTER.test(text)) report.findings.push({ file, line, kind: "text", text });
      return;
    }
    if (node.type === INTERPOLATION) {
      const source = (node.content as { content: string }).content;
      const parsed = expression(source);
      if (parsed) {
        for (const text of resultLiterals(parsed))
          report.findings.push({ file, line, kind: "expression", text });
        for (const use of keysIn(parsed, line)) report.keys.push({ file, ...use });
      }
      return;
    }
    if (node.type === ROOT) for (const child of node.children ?? []) visit(child);
    if (node.type !== ELEMENT) return;
    const props = node.props ?? [];
    if (props.some((p) => p.type === ATTRIBUTE && p.name === "translate" && p.value?.content === "no"))
      return;
    for (const prop of props) checkProp(node, prop, file, report);
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
}

function checkProp(element: TemplateNode, prop: TemplateProp, file: string, report: FileReport): void {
  const line = prop.loc.start.line;
  if (prop.type === ATTRIBUTE) {
    const value = prop.value?.content ?? "";
    if (prop.name === "keypath" && value) report.keys.push({ file, line, key: value, prefix: false });
    if (VISIBLE_ATTRIBUTES.has(kebab(prop.name)) && LETTER.test(value))
      report.findings.push({ file, line, kind: "attribute", text: `${prop.name}="${value}"` });
    return;
  }
  if (prop.type !== DIRECTIVE || !prop.exp) return;
  const source = prop.exp.content;
  if (prop.name === "for" || prop.name === "slot") return;
  if (prop.name === "on") {
    const parsed = statements(source) ?? expression(source);
    if (!parsed) return;
    for (const use of keysIn(parsed, line)) report.keys.push({ file, ...use });
    for (const found of proseIn(parsed, line)) report.findings.push({ file, kind: "script", ...found });
    return;
  }
  const parsed = expression(source);
  if (!parsed) return;
  for (const use of keysIn(parsed, line)) report.keys.push({ file, ...use });
  const name = prop.arg ? kebab(prop.arg.content) : "";
  if (prop.name === "bind" && VISIBLE_ATTRIBUTES.has(name)) {
    for (const text of resultLiterals(parsed))
      report.findings.push({ file, line, kind: "attribute", text: `:${name}="${text}"` });
  }
  if (element.tag && prop.name === "bind" && name === "keypath") {
    for (const text of resultLiterals(parsed)) report.keys.push({ file, line, key: text, prefix: false });
  }
}

function checkScript(source: string, firstLine: number, file: string, report: FileReport): void {
  const parsed = statements(source);
  if (!parsed) {
    report.findings.push({ file, line: firstLine, kind: "script", text: "(could not parse the script)" });
    return;
  }
  for (const use of keysIn(parsed, firstLine)) report.keys.push({ file, ...use });
  for (const found of proseIn(parsed, firstLine)) report.findings.push({ file, kind: "script", ...found });
  // Keys kept in data and translated later (page titles in route records, column labels) are keys too:
  // any string that starts with a catalog area and a dot.
  const visit = (node: BabelNode) => {
    if (node.type === "StringLiteral" && KEY_LITERAL.test(node.value as string)) {
      const line = firstLine + (node.loc?.start.line ?? 1) - 1;
      report.keys.push({ file, line, key: node.value as string, prefix: false });
    }
    for (const child of children(node)) visit(child);
  };
  visit(parsed);
}

export function checkVueFile(source: string, file: string): FileReport {
  const report: FileReport = { findings: [], keys: [] };
  const { descriptor, errors } = parseSfc(source, { filename: file });
  if (errors.length > 0) report.findings.push({ file, line: 1, kind: "parse", text: String(errors[0]) });
  if (descriptor.template?.ast)
    checkTemplate(descriptor.template.ast as unknown as TemplateNode, file, report);
  for (const block of [descriptor.script, descriptor.scriptSetup]) {
    if (block) checkScript(block.content, block.loc.start.line, file, report);
  }
  return report;
}

export function checkScriptFile(source: string, file: string): FileReport {
  const report: FileReport = { findings: [], keys: [] };
  checkScript(source, 1, file, report);
  return report;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Every file of the app that can show text: the .vue files, and the scripts outside the catalogs
 * (the catalogs themselves and tests are left out).
 */
export function appFiles(repoRoot: string): string[] {
  const src = join(repoRoot, "packages/web/src");
  return walk(src)
    .filter((path) => path.endsWith(".vue") || (path.endsWith(".ts") && !path.endsWith(".test.ts")))
    .filter((path) => !relative(src, path).startsWith("i18n/") && !path.endsWith(".d.ts"))
    .sort();
}

export function checkApp(repoRoot: string): FileReport {
  const all: FileReport = { findings: [], keys: [] };
  for (const path of appFiles(repoRoot)) {
    const file = relative(repoRoot, path);
    const source = readFileSync(path, "utf8");
    const report = path.endsWith(".vue") ? checkVueFile(source, file) : checkScriptFile(source, file);
    all.findings.push(...report.findings);
    all.keys.push(...report.keys);
  }
  return all;
}

/** Keys that are not in a catalog: a whole key must name a message, a prefix must name a group. */
export function missingKeys(keys: KeyUse[], catalog: object): KeyUse[] {
  const lookup = (key: string): unknown =>
    key
      .split(".")
      .reduce<unknown>(
        (node, part) =>
          node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined,
        catalog,
      );
  return keys.filter((use) => {
    const found = lookup(use.key);
    return use.prefix ? !(found && typeof found === "object") : typeof found !== "string";
  });
}

/** Messages of a catalog that no code uses, neither by name nor under a key built at run time. */
export function unusedKeys(keys: KeyUse[], catalog: object): string[] {
  const used = new Set(keys.filter((use) => !use.prefix).map((use) => use.key));
  const prefixes = keys.filter((use) => use.prefix).map((use) => `${use.key}.`);
  const all: string[] = [];
  const walk = (node: object, path: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string") all.push(path + key);
      else walk(value as object, `${path}${key}.`);
    }
  };
  walk(catalog, "");
  return all.filter((key) => !used.has(key) && !prefixes.some((prefix) => key.startsWith(prefix)));
}

/** Findings grouped by file, for the report and for the not-yet-converted baseline. */
export function byFile(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) groups.set(finding.file, [...(groups.get(finding.file) ?? []), finding]);
  return groups;
}
