// A small live chart of recent lag: an SVG polyline over the last values (null when unknown).
const NS = 'http://www.w3.org/2000/svg';

export function sparkline(values, width = 90, height = 18) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('class', 'sparkline');
  const known = values.filter((v) => v !== null && v !== undefined);
  if (known.length < 2) return svg;
  const max = Math.max(...known, 0.001);
  const step = width / Math.max(values.length - 1, 1);
  const points = [];
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) {
      points.push(`${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`);
    }
  });
  const line = document.createElementNS(NS, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.append(line);
  const title = document.createElementNS(NS, 'title');
  title.textContent = `lag over the last ${values.length} cycles, max ${max.toFixed(3)} s`;
  svg.append(title);
  return svg;
}
