const { Invoice, Customer } = require('../models');

exports.list = async (req, res) => {
  const invoices = await Invoice.findAll({ where: { accountId: req.user.accountId } });
  for (const invoice of invoices) {
    invoice.customer = await Customer.findByPk(invoice.customerId); // expect: n-plus-one-query
  }
  res.json(invoices);
};
