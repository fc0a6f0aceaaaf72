// Project helpers the guards fixture calls: effects backlens cannot see into.
const nodemailer = require('nodemailer');
const transport = nodemailer.createTransport({});

async function sendInviteEmail(to) {
  await transport.sendMail({ to, subject: 'invite' });
}

async function resetPassword(to) {
  await transport.sendMail({ to, subject: 'reset' });
  return true;
}

module.exports = { sendInviteEmail, resetPassword };
