interface Invoice { id: string; customerId: string; total: number }
interface Customer { id: string; name: string; invoices?: Invoice[] }

export function attachInvoices(customers: Customer[], invoices: Invoice[]): Customer[] {
  for (const customer of customers) {
    customer.invoices = [];
    for (const invoice of invoices) { // expect: quadratic-lookup
      if (invoice.customerId === customer.id) {
        customer.invoices.push(invoice);
      }
    }
  }
  return customers;
}

export function countPaid(customers: Customer[], paidIds: string[]): number {
  let count = 0;
  for (let i = 0; i < customers.length; i++) {
    if (paidIds.some((id) => id === customers[i].id)) count++; // expect: quadratic-lookup
  }
  return count;
}
