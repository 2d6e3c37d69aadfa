// Chart.js with only the parts the UI draws (lines, bars, threshold annotations), registered
// once; colours shared by every chart so an outcome always has the same colour.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, annotationPlugin);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
Chart.defaults.color = '#424a53';
Chart.defaults.animation = false;

export const OUTCOME_COLOURS: Record<string, string> = { recognition: '#1a7f37', coaching: '#bf8700', pip: '#cf222e' };
export const SERIES_COLOUR = '#0969da';

export { Chart };
