const express = require('express');
const Access = require('../lib/access');

const router = express.Router();

router.get('/schedules', async (req, res) => {
  if (!(await Access.hasPermission(['MANAGE_SCHEDULE', 'VIEW_SCHEDULE'], req.user.roleId))) {
    return res.status(403).end();
  }
  res.json([]);
});

router.post('/schedules', async (req, res) => {
  if (!(await Access.hasPermission(['MANAGE_SCHEDULE'], req.user.roleId))) {
    return res.status(403).end();
  }
  res.status(201).end();
});

module.exports = router;
