// charts.js — loads Chart.js once, from this server (/assets/vendor/chart.umd.min.js, the npm
// package chart.js that scripts/deps.sh installs in web/node_modules), never from the internet.
// The dashboard and the PAR results page draw with it.

let chartLib = null;

// Resolves to window.Chart; rejects (and may be retried) when the file cannot be loaded.
export function loadChart() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!chartLib) {
    chartLib = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/assets/vendor/chart.umd.min.js';
      s.onload = () => resolve(window.Chart);
      s.onerror = () => {
        chartLib = null;
        reject(new Error('chart.js could not be loaded from /assets/vendor/'));
      };
      document.head.append(s);
    });
  }
  return chartLib;
}
