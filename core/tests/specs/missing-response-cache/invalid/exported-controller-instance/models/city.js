const mongoose = require('mongoose');

const citySchema = new mongoose.Schema({ id: Number, name: String });
module.exports = mongoose.model('City', citySchema);
