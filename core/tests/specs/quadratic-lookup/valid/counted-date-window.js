// The days to check are filled by a loop over a count every caller gives as a constant
// (chaunnt/TemplateNodeJS_HapiAndMySQL, API/AppUsers/cronjob/autoNotifyStatusActiveJob.js): at
// most four dates, searched once per active time.
function activeWithin(activeTimes, days) {
  const window = [];
  for (let i = 0; i <= days; i++) {
    const day = new Date(Date.now() - i * 86400000);
    window.push(day.toISOString().slice(0, 10));
  }
  return activeTimes.some((at) => window.includes(new Date(at).toISOString().slice(0, 10)));
}

function staleness(activeTimes) {
  if (!activeWithin(activeTimes, 1)) return 'one day';
  if (!activeWithin(activeTimes, 3)) return 'three days';
  return 'active';
}

module.exports = { staleness };
