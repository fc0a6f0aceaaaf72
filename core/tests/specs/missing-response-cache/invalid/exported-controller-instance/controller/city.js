const CityModel = require('../models/city');

class City {
  async getCityById(req, res) {
    const city = await CityModel.findOne({ id: Number(req.params.id) });
    res.send(city);
  }
}

module.exports = new City();
