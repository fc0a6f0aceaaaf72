// A user's permitted areas and station types are stored as one comma-separated column
// (chaunnt/TemplateNodeJS_HapiAndMySQL, API/Stations/StationsFunctions.js): each list holds a
// handful of codes, so filtering the stations by them is linear in the stations.
const StationsResourceAccess = require('../resourceAccess/StationsResourceAccess');

async function stationsVisibleTo(currentUser) {
  let stationList = await StationsResourceAccess.find({});
  if (currentUser.stationArea) {
    const areaArray = currentUser.stationArea.split(',');
    stationList = stationList.filter((station) => areaArray.includes(station.stationArea));
  }
  if (currentUser.stationType) {
    const typeArray = currentUser.stationType.split(',').map(Number);
    stationList = stationList.filter((station) => typeArray.includes(Number(station.stationType)));
  }
  return stationList;
}

module.exports = { stationsVisibleTo };
