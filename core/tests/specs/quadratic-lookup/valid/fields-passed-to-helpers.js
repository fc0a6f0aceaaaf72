// A lottery ticket's numbers and a draw's result are each one `;`-separated column
// (chaunnt/TemplateNodeJS_HapiAndMySQL, API/GameRecord/GameRecordFunctions.js). The helpers that
// compare them receive those fields at every call, so both lists hold a handful of numbers:
// matching them is bounded by the game, not by the data.
const TicketResourceAccess = require('../resourceAccess/TicketResourceAccess');

function countPairs(picked, drawn) {
  const remaining = [...picked];
  let hits = 0;
  for (let i = 0; i < drawn.length; i++) {
    const lastTwo = drawn[i].slice(-2);
    if (remaining.includes(lastTwo)) {
      hits++;
      remaining.splice(remaining.indexOf(lastTwo), 1);
    }
  }
  return hits;
}

function anyMissed(picked, drawn) {
  const endings = drawn.map((value) => value.slice(-2));
  for (let i = 0; i < picked.length; i++) {
    if (endings.includes(picked[i])) {
      return false;
    }
  }
  return true;
}

async function settleRound(round) {
  const tickets = await TicketResourceAccess.find({ roundId: round.id });
  for (let i = 0; i < tickets.length; i++) {
    const picked = tickets[i].numbers.split(/;/);
    const drawn = round.result.split(/;/);
    tickets[i].prize = tickets[i].kind === 'pairs' ? countPairs(picked, drawn) : anyMissed(picked, drawn) ? 1 : 0;
  }
  return tickets;
}

module.exports = { settleRound };
