import { Injectable } from '@nestjs/common';
import got from 'got';

@Injectable()
export class ShippingService {
  async quoteAll(parcels: Parcel[]): Promise<Quote[]> {
    const quotes: Quote[] = [];
    for (const parcel of parcels) {
      const quote = await got.post('https://carrier.example/quote', { json: parcel }).json<Quote>();
      quotes.push(quote);
    }
    for (const parcel of parcels) {
      parcel.tracking = await got(`https://carrier.example/track/${parcel.id}`).json<Tracking>(); // expect: await-in-loop
    }
    return quotes;
  }
}
