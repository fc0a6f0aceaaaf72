'use strict';

const express = require('express');
const StationsResourceAccess = require('../models/StationsResourceAccess');
const { DB } = require('../config/database');

const router = express.Router();

// `findById` and `updateOne` look like Mongoose by their names; the model module runs
// Knex through the client exported by config/database.js, and the advice says so.
router.get('/schedules', async (req, res) => {
  const schedules = await DB('Schedules').where({ userId: req.query.userId }).limit(50);
  for (const schedule of schedules) {
    schedule.station = await StationsResourceAccess.findById(schedule.stationsId); // expect: n-plus-one-query
  }
  res.json(schedules);
});

router.post('/schedules/close', async (req, res) => {
  for (const id of req.body.stationIds) {
    await StationsResourceAccess.updateOne(id, { isOpen: 0 }); // expect: n-plus-one-query
  }
  res.json({ ok: true });
});

module.exports = router;
