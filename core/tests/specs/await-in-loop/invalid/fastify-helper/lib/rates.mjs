import axios from 'axios';

export async function getRate(currency) {
  const { data } = await axios.get(`https://fx.example/api/latest?base=${currency}`);
  return data.rates.EUR;
}
