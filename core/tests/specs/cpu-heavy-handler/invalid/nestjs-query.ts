import { Controller, Get, Query } from '@nestjs/common';

@Controller('math')
export class MathController {
  @Get('harmonic')
  harmonic(@Query('n') n: number) {
    let sum = 0;
    for (let k = 1; k <= n; k++) { // expect: cpu-heavy-handler
      sum += 1 / k;
    }
    return { sum };
  }
}
