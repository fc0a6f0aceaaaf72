// A station's booking slots are one JSON column (chaunnt/TemplateNodeJS_HapiAndMySQL,
// API/Stations/StationsFunctions.js _calculateMaxBookingCount): the helper runs over that one
// value's slots, a few dozen a day at most, checking each against the day's time-off list.
const StationResourceAccess = require('./StationResourceAccess');
const WorkSchedule = require('./WorkSchedule');

function capacity(slots, workStatus) {
  return slots.reduce((total, slot) => {
    if (slot.enabled && !workStatus.timeOffList.includes(slot.time)) {
      return total + slot.limit;
    }
    return total;
  }, 0);
}

async function dayCapacity(stationId, date) {
  const station = await StationResourceAccess.findById(stationId);
  const slots = JSON.parse(station.bookingConfig || '[]');
  const workStatus = await WorkSchedule.forDate(stationId, date);
  return capacity(slots, workStatus);
}

module.exports = { dayCapacity };
