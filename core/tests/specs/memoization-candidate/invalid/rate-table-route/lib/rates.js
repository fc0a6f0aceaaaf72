// Pure: builds a lookup table from its argument only.
function buildRateTable(config) {
  const table = {};
  for (const zone of config.zones) {
    table[zone.id] = zone.rate * config.factor;
  }
  return table;
}

module.exports = { buildRateTable };
