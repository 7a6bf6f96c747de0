// Capuchin dashboard: requests per second per site, drawn with uPlot from
// /console/metrics/requests, polled every 2 seconds.
(function () {
  'use strict';

  var PALETTE = ['#0f766e', '#2563eb', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#65a30d', '#db2777'];
  var element = document.getElementById('requests-chart');
  var empty = document.getElementById('requests-empty');
  if (!element || typeof uPlot === 'undefined') {
    return;
  }
  var source = element.getAttribute('data-source');
  var chart = null;
  var sites = '';

  function size() {
    return { width: Math.max(element.clientWidth, 240), height: 260 };
  }

  function build(names) {
    if (chart) {
      chart.destroy();
    }
    var series = [{}];
    names.forEach(function (name, index) {
      series.push({
        label: name,
        stroke: PALETTE[index % PALETTE.length],
        width: 2,
        points: { show: false },
        value: function (u, v) { return v == null ? '–' : v.toFixed(2) + ' req/s'; }
      });
    });
    var dimensions = size();
    chart = new uPlot({
      width: dimensions.width,
      height: dimensions.height,
      series: series,
      scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.15)]; } } },
      axes: [
        { stroke: '#64748b', grid: { stroke: '#eef2f6' } },
        { stroke: '#64748b', grid: { stroke: '#eef2f6' }, size: 50,
          values: function (u, ticks) { return ticks.map(function (t) { return t + '/s'; }); } }
      ],
      legend: { live: false }
    }, [[]], element);
    sites = names.join('\u0000');
  }

  function render(data) {
    var names = Object.keys(data.sites);
    if (names.join('\u0000') !== sites || chart === null) {
      build(names);
    }
    var columns = [data.times];
    names.forEach(function (name) { columns.push(data.sites[name]); });
    chart.setData(columns);
    if (empty) {
      empty.hidden = data.times.length > 1;
    }
  }

  function poll() {
    fetch(source, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (response) {
        if (response.status === 401) {
          window.location.reload();
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          render(data);
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  window.addEventListener('resize', function () {
    if (chart) {
      chart.setSize(size());
    }
  });
  poll();
  window.setInterval(poll, 2000);
}());
