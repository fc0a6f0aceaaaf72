// backlens-args: items:5000
export class CartService {
  constructor(store) {
    this.store = store;
  }

  checkout(cart) {
    const frozen = JSON.parse( // expect: json-deep-clone
      JSON.stringify(cart), // the copy sent to payment
    );
    return this.store.save(frozen);
  }
}
