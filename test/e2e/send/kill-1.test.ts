// Kill-at-every-index, part 1 of 4 (see kill-part.ts).
import { describeKillPart } from './kill-part';

describeKillPart(1);
