/**
 * The picture of the workspace the graph panel draws: configurations (and other outputs) on the
 * left, the files that instantiate nixpkgs in the middle, the instances on the right, each node
 * sized by how many package sets it stands for, from the server's overview (the numbers of
 * `report`). Layout and SVG are plain functions of the overview, free of the vscode API, so the
 * unit suite checks them; graphPanel.ts shows them in a webview.
 */
import type { InstanceEntry, Overview } from '../../server/src/ide/overview';

export type GraphNodeKind = 'configuration' | 'file' | 'instance';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** Plain text for the tooltip. */
  detail: string;
  /** A configuration's package sets; how often a file's or an instance's sets are evaluated (all outputs). */
  weight: number;
  x: number;
  y: number;
  r: number;
  /** Where a click goes. */
  target: { file: string; range: InstanceEntry['range'] };
}

export interface GraphEdge {
  from: string;
  to: string;
  weight: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

const COLUMNS: Record<GraphNodeKind, number> = { configuration: 150, file: 420, instance: 640 };
const ROW = 64;
const TOP = 56;

function radius(weight: number): number {
  return Math.round(8 + 7 * Math.sqrt(Math.max(0, weight)));
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function sets(n: number): string {
  return `${n} package set${n === 1 ? '' : 's'}`;
}

/** The graph of an overview; `rel` shortens a file path for labels. */
export function buildGraph(overview: Overview, rel: (file: string) => string): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (n: Omit<GraphNode, 'x' | 'y' | 'r' | 'weight'>): GraphNode => {
    let have = nodes.get(n.id);
    if (!have) nodes.set(n.id, (have = { ...n, weight: 0, x: COLUMNS[n.kind], y: 0, r: 0 }));
    return have;
  };
  const edge = (from: string, to: string, weight: number) => {
    const key = `${from}->${to}`;
    const e = edges.get(key) ?? { from, to, weight: 0 };
    e.weight += weight;
    edges.set(key, e);
  };
  for (const flake of overview.flakes) {
    for (const c of flake.configurations) {
      if (c.instances.length === 0) continue;
      const conf = node({ id: `c:${c.output}`, kind: 'configuration', label: c.name, detail: '', target: { file: c.file, range: c.range } });
      conf.weight += c.packageSets;
      conf.detail = `${c.output}: ${sets(c.packageSets)}${c.own ? ', and its own' : ''}`;
      for (const i of c.instances) {
        const count = i.count ?? 0;
        const file = node({ id: `f:${i.file}`, kind: 'file', label: rel(i.file), detail: '', target: { file: i.file, range: i.range } });
        file.weight += count;
        file.detail = `${rel(i.file)}: evaluated ${times(file.weight)} in all`;
        const inst = node({ id: `i:${i.file}:${i.line}:${i.range.start.character}`, kind: 'instance', label: `${i.label}`, detail: '', target: { file: i.file, range: i.range } });
        inst.weight += count;
        inst.detail = `${rel(i.file)}:${i.line} ${i.label}: evaluated ${times(inst.weight)}, ${i.why}`;
        edge(conf.id, file.id, count);
        edge(file.id, inst.id, count);
      }
    }
  }
  // Rows in a stable order: configurations by output, files by path, instances by file and line.
  const byKind = (kind: GraphNodeKind) =>
    [...nodes.values()].filter((n) => n.kind === kind).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const columns = (['configuration', 'file', 'instance'] as const).map(byKind);
  const rows = Math.max(1, ...columns.map((c) => c.length));
  const height = TOP + rows * ROW;
  for (const column of columns) {
    // Each column centred vertically.
    const offset = TOP + ((rows - column.length) * ROW) / 2;
    column.forEach((n, k) => {
      n.y = Math.round(offset + k * ROW + ROW / 2 - 16);
      n.r = radius(n.weight);
    });
  }
  return { nodes: columns.flat(), edges: [...edges.values()], width: 1000, height };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The webview's HTML: an SVG of the graph; a click on a node posts `{ type: 'open', id }`. */
export function graphHtml(graph: Graph, nonce: string, cspSource: string): string {
  const at = new Map(graph.nodes.map((n) => [n.id, n]));
  const lines = graph.edges
    .map((e) => {
      const a = at.get(e.from)!;
      const b = at.get(e.to)!;
      return `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke-width="${1 + Math.min(6, e.weight)}" class="edge"/>`;
    })
    .join('\n');
  const circles = graph.nodes
    .map((n) => {
      const anchor = n.kind === 'instance' ? 'start' : n.kind === 'configuration' ? 'end' : 'middle';
      const tx = n.kind === 'instance' ? n.x + n.r + 8 : n.kind === 'configuration' ? n.x - n.r - 8 : n.x;
      const ty = n.kind === 'file' ? n.y + n.r + 16 : n.y + 4;
      return (
        `<g class="node ${n.kind}" data-id="${escape(n.id)}" tabindex="0" role="button" aria-label="${escape(n.detail)}">` +
        `<title>${escape(n.detail)}</title>` +
        `<circle cx="${n.x}" cy="${n.y}" r="${n.r}"/>` +
        `<text class="count" x="${n.x}" y="${n.y + 4}" text-anchor="middle">${n.weight}</text>` +
        `<text x="${tx}" y="${ty}" text-anchor="${anchor}">${escape(n.label)}</text></g>`
      );
    })
    .join('\n');
  const headings = [
    ['configuration', 'Configurations and outputs'],
    ['file', 'Files that instantiate nixpkgs'],
    ['instance', 'Instances'],
  ] as const;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  .edge { stroke: var(--vscode-editorLineNumber-foreground, #888); opacity: 0.6; }
  .node { cursor: pointer; }
  .node circle { stroke: var(--vscode-focusBorder, #07c); stroke-width: 1.5; }
  .configuration circle { fill: var(--vscode-charts-blue, #3794ff); }
  .file circle { fill: var(--vscode-charts-purple, #b180d7); }
  .instance circle { fill: var(--vscode-charts-orange, #d18616); }
  .node text { fill: var(--vscode-foreground); font-size: 12px; }
  .node text.count { fill: #fff; font-weight: bold; font-size: 11px; }
  .heading { fill: var(--vscode-descriptionForeground); font-size: 12px; font-weight: bold; }
  .node:focus circle, .node:hover circle { stroke-width: 3; }
</style></head>
<body>
<p>When every output is evaluated: configurations and outputs are sized by the package sets they create, files and instances by how often they are evaluated. Click a circle to open its code.</p>
<svg id="graph" width="${graph.width}" height="${graph.height}" viewBox="0 0 ${graph.width} ${graph.height}">
${headings.map(([k, text]) => `<text class="heading" x="${COLUMNS[k]}" y="20" text-anchor="middle">${text}</text>`).join('\n')}
${lines}
${circles}
</svg>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  for (const g of document.querySelectorAll('.node')) {
    const open = () => vscode.postMessage({ type: 'open', id: g.dataset.id });
    g.addEventListener('click', open);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') open(); });
  }
</script>
</body></html>`;
}
