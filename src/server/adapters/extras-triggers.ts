// Adapter: the triggers of the send extras over ScriptApp: a one-off clock trigger at an instant (the
// scheduled send: `ClockTriggerBuilder.at(date)`) and an hourly one (the bounce watch; hourly is what a
// published add-on may use). One trigger per handler at most, as triggers count toward the 20 per user.
// https://developers.google.com/apps-script/reference/script/clock-trigger-builder#at(Date)

import type { ExtrasTriggers } from '../ports/send-extras';

function triggersOf(handler: string): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getProjectTriggers().filter((trigger) => trigger.getHandlerFunction() === handler);
}

export function scriptExtrasTriggers(): ExtrasTriggers {
  const remove = (handler: string) => {
    for (const trigger of triggersOf(handler)) ScriptApp.deleteTrigger(trigger);
  };
  return {
    at(handler, epochMs) {
      remove(handler);
      ScriptApp.newTrigger(handler).timeBased().at(new Date(epochMs)).create();
    },
    hourly(handler) {
      remove(handler);
      ScriptApp.newTrigger(handler).timeBased().everyHours(1).create();
    },
    remove,
    count: (handler) => triggersOf(handler).length,
  };
}
