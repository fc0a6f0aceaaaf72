// backlens-args: items:5000
import { Injectable } from '@nestjs/common';

const TEMPLATE = { title: 'Daily', rows: [] as unknown[], generatedAt: new Date() };

@Injectable()
export class ReportsService {
  daily() {
    const report = JSON.parse(JSON.stringify(TEMPLATE)); // expect: json-deep-clone
    report.rows.push({ total: 0 });
    return report;
  }
}
