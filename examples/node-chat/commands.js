'use strict';

// The demo's text command protocol (examples/README.md), independent of Kafka: what to answer to
// one client message. Each reply is {to: {connectionId} | {userId} | {everyone: true}, text} or
// {to: {connectionId}, close: {code, reason}}.

const HELP = 'commands: /echo <text>, /to-user <user> <text>, /all <text>, /bye';
/** The close code /bye asks for: an application code (3000-4999) the gateway itself does not use. */
const BYE_CODE = 4100;

function welcome(name) {
  return 'welcome ' + name + '; ' + HELP;
}

/** @param {string} text the client's message; @param {{connectionId, name}} from the sender */
function reply(text, from) {
  const { command, rest } = split(text);
  const self = { connectionId: from.connectionId };
  switch (command) {
    case '/echo':
      return { to: self, text: rest };
    case '/to-user': {
      const { command: user, rest: message } = split(rest);
      if (!user || !message) return { to: self, text: 'usage: /to-user <user> <text>' };
      return { to: { userId: user }, text: from.name + ': ' + message, reportTo: from.connectionId };
    }
    case '/all':
      return { to: { everyone: true }, text: from.name + ' to all: ' + rest };
    case '/bye':
      return { to: self, close: { code: BYE_CODE, reason: 'bye' } };
    default:
      return { to: self, text: 'unknown command; ' + HELP };
  }
}

/** What the sender of an undelivered push is told. */
function undelivered(target, error) {
  return 'undelivered to ' + target + ': ' + error;
}

function split(text) {
  const trimmed = text.trim();
  const space = trimmed.indexOf(' ');
  return space < 0 ? { command: trimmed, rest: '' } : { command: trimmed.slice(0, space), rest: trimmed.slice(space + 1).trim() };
}

module.exports = { reply, welcome, undelivered, HELP, BYE_CODE };
