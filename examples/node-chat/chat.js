'use strict';

// A chat backend for wx-gateway in Node: it reads what clients send from wx.inbound, answers on
// wx.outbound (to a connection, a user or everyone; or closes a socket), and watches
// wx.undelivered to tell a sender when a push found nobody. It never holds a socket.
// Settings come from the environment (examples/README.md); the defaults match ./wx-gateway.

const { Kafka, Partitioners, logLevel } = require('kafkajs');
const commands = require('./commands');

const env = process.env;
const settings = {
  brokers: (env.KAFKA_BROKERS || '127.0.0.1:9092').split(','),
  inbound: env.WX_INBOUND_TOPIC || 'wx.inbound',
  outbound: env.WX_OUTBOUND_TOPIC || 'wx.outbound',
  deadLetters: env.WX_DEAD_LETTER_TOPIC || 'wx.undelivered',
  groupId: env.CHAT_GROUP_ID || 'chat-example-node',
  // latest: a new group starts at the end, so old messages are not answered to sockets long gone.
  fromBeginning: (env.CHAT_OFFSET_RESET || 'latest') === 'earliest'
};
/** Names the sender of a push, so that its dead letter (which keeps every header) can be reported back. */
const REPORT_TO = 'chat-report-to';
const TEXT = 'text/plain; charset=utf-8';

const kafka = new Kafka({ clientId: 'chat-example-node', brokers: settings.brokers, logLevel: logLevel.WARN });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const consumer = kafka.consumer({ groupId: settings.groupId });

function header(message, name) {
  const value = message.headers && message.headers[name];
  return value === undefined ? undefined : value.toString('utf8');
}

/** One wx.outbound record; keyed by its target so that records for one target keep their order. */
function outbound(to, headers, value) {
  const target = to.connectionId ? { ce_connectionid: to.connectionId } : to.userId ? { ce_userid: to.userId } : {};
  const key = to.connectionId || to.userId || null;
  return { key, value, headers: Object.assign({}, target, headers) };
}

function toRecord(reply) {
  if (reply.close) {
    return outbound(reply.to, { ce_type: 'wx.socket.close', ce_closecode: String(reply.close.code),
      ce_closereason: reply.close.reason }, ''); // a close needs no value, but kafkajs wants one
  }
  const type = reply.to.everyone ? 'wx.socket.broadcast' : 'wx.socket.send';
  const extra = reply.reportTo ? { [REPORT_TO]: reply.reportTo } : {};
  return outbound(reply.to, Object.assign({ ce_type: type, 'content-type': TEXT }, extra), reply.text);
}

function parseJson(value) {
  try {
    return JSON.parse(value.toString('utf8'));
  } catch (err) {
    return {}; // logged as far as it goes; one odd record must not stop the backend
  }
}

function send(...records) {
  return producer.send({ topic: settings.outbound, messages: records });
}

async function onInbound(message) {
  const type = header(message, 'ce_type');
  const connectionId = header(message, 'ce_connectionid') || (message.key && message.key.toString());
  const name = header(message, 'ce_userid') || connectionId;
  if (type === 'wx.socket.open') {
    console.log('open %s user=%s', connectionId, header(message, 'ce_userid') || '-');
    await send(outbound({ connectionId }, { 'content-type': TEXT }, commands.welcome(name)));
  } else if (type === 'wx.socket.close') {
    const event = parseJson(message.value);
    console.log('closed %s code=%d reason=%s by %s', connectionId, event.code, event.reason || '', event.initiator);
  } else if (type === 'wx.socket.message') {
    const contentType = header(message, 'content-type') || TEXT;
    if (!contentType.startsWith('text/')) { // binary: echo the bytes back as they came
      await send(outbound({ connectionId }, { 'content-type': contentType }, message.value));
      return;
    }
    await send(toRecord(commands.reply(message.value.toString('utf8'), { connectionId, name })));
  } // a backend ignores event types it does not know: the contract grows by addition
}

async function onDeadLetter(message) {
  const error = header(message, 'ce_deliveryerror');
  const target = header(message, 'ce_userid') || header(message, 'ce_connectionid') || 'everyone';
  console.log('dead letter %s for %s: %s', error, target, header(message, 'ce_deliverydetail'));
  const reportTo = header(message, REPORT_TO);
  if (reportTo) { // the report itself carries no REPORT_TO, so a report that fails is only logged
    await send(outbound({ connectionId: reportTo }, { 'content-type': TEXT }, commands.undelivered(target, error)));
  }
}

async function main() {
  await producer.connect();
  await consumer.connect();
  consumer.on(consumer.events.GROUP_JOIN, () => console.log('chat backend ready: %s -> %s, watching %s',
    settings.inbound, settings.outbound, settings.deadLetters));
  await consumer.subscribe({ topics: [settings.inbound, settings.deadLetters], fromBeginning: settings.fromBeginning });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      try {
        await (topic === settings.deadLetters ? onDeadLetter(message) : onInbound(message));
      } catch (err) { // one odd record must not stop the backend
        console.error('skipped %s@%s: %s', topic, message.offset, err);
      }
    }
  });
}

async function shutdown() {
  await consumer.disconnect().catch(() => {});
  await producer.disconnect().catch(() => {});
  process.exit(0);
}

process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
main().catch((err) => {
  console.error('chat backend failed:', err);
  process.exit(1);
});
