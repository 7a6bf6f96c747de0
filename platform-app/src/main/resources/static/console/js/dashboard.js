// Capuchin dashboard: requests per second per site, and answers by status class for all
// sites or the chosen one, drawn with uPlot from /console/metrics/requests, polled every
// 2 seconds.
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

  // answers by status class: one line per class, for all sites summed or the chosen site
  var CLASSES = [['2xx', '#15803d'], ['3xx', '#2563eb'], ['4xx', '#d97706'], ['5xx', '#dc2626']];
  var answersElement = document.getElementById('answers-chart');
  var answersSite = document.getElementById('answers-site');
  var answersChart = null;
  var last = null;

  function answersSize() {
    return { width: Math.max(answersElement.clientWidth, 240), height: 220 };
  }

  function buildAnswers() {
    var series = [{}];
    CLASSES.forEach(function (kind) {
      series.push({
        label: kind[0],
        stroke: kind[1],
        width: 2,
        points: { show: false },
        value: function (u, v) { return v == null ? '–' : String(v); }
      });
    });
    var dimensions = answersSize();
    answersChart = new uPlot({
      width: dimensions.width,
      height: dimensions.height,
      series: series,
      scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.15)]; } } },
      axes: [
        { stroke: '#64748b', grid: { stroke: '#eef2f6' } },
        { stroke: '#64748b', grid: { stroke: '#eef2f6' }, size: 50 }
      ],
      legend: { live: false }
    }, [[]], answersElement);
  }

  function renderAnswers(data) {
    if (!answersElement || !data.answers) {
      return;
    }
    if (answersSite) {
      var chosen = answersSite.value;
      var names = Object.keys(data.answers);
      var known = Array.prototype.map.call(answersSite.options, function (option) { return option.value; });
      names.forEach(function (name) {
        if (known.indexOf(name) < 0) {
          var option = document.createElement('option');
          option.value = name;
          option.textContent = name;
          answersSite.appendChild(option);
        }
      });
      answersSite.value = chosen;
    }
    var site = answersSite ? answersSite.value : '';
    var columns = [data.times];
    CLASSES.forEach(function (kind) {
      var values = data.times.map(function (time, index) {
        var sum = 0;
        Object.keys(data.answers).forEach(function (name) {
          if (site === '' || site === name) {
            sum += data.answers[name][kind[0]][index] || 0;
          }
        });
        return sum;
      });
      columns.push(values);
    });
    if (answersChart === null) {
      buildAnswers();
    }
    answersChart.setData(columns);
  }

  if (answersSite) {
    answersSite.addEventListener('change', function () {
      if (last) {
        renderAnswers(last);
      }
    });
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
          last = data;
          render(data);
          renderAnswers(data);
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }

  window.addEventListener('resize', function () {
    if (chart) {
      chart.setSize(size());
    }
    if (answersChart) {
      answersChart.setSize(answersSize());
    }
  });
  poll();
  window.setInterval(poll, 2000);
}());
