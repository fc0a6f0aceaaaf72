// A helper whose lists come from queries at its calls (chaunnt/TemplateNodeJS_HapiAndMySQL,
// API/Statistical/StatisticalFunctions.js _extractCreatedDate): both grow with the data. A
// helper called once with a literal and once with rows is no smaller, nor is a list filled once
// per row or by a loop up to a row count.
const Deposits = require('./Deposits');
const Withdrawals = require('./Withdrawals');

function collectDates(dates, rows) {
  for (let i = 0; i < rows.length; i++) {
    if (dates.indexOf(rows[i].createdDate) < 0) { // expect: quadratic-lookup
      dates.push(rows[i].createdDate);
    }
  }
  return dates;
}

function missing(wantedCodes, rows) {
  return rows.filter((row) => !wantedCodes.includes(row.code)); // expect: quadratic-lookup
}

async function summary(userId) {
  const deposits = await Deposits.findAll({ where: { userId } });
  const withdrawals = await Withdrawals.findAll({ where: { userId } });
  let dates = [];
  dates = collectDates(dates, deposits);
  dates = collectDates(dates, withdrawals);
  const codes = [];
  for (const deposit of deposits) {
    codes.push(deposit.code);
  }
  const firstCodes = [];
  for (let i = 0; i < withdrawals.length; i++) {
    firstCodes.push(withdrawals[i].code);
  }
  return {
    dates,
    unknown: missing(['A', 'B'], deposits).length + missing(codes, withdrawals).length,
    late: deposits.filter((d) => firstCodes.includes(d.code)).length, // expect: quadratic-lookup
  };
}

module.exports = { summary };
