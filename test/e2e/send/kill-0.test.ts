// Kill-at-every-index, part 0 of 4 (see kill-part.ts).
import { describeKillPart } from './kill-part';

describeKillPart(0);
