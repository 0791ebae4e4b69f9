#!/usr/bin/env node
// gRPC interop client on Node's @grpc/grpc-js, for testing our wire layer's server.
//
// Implements the client cases of grpc/grpc doc/interop-test-descriptions.md with the arguments
// that document fixes (--server_host, --server_port, --test_case; plaintext only). Runs one case,
// prints what it does, and exits 0 when every assertion of the case holds, 1 with the reason
// otherwise. The protos are loaded from ../protos, the same files the C# host compiles.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

// Sizes and values from interop-test-descriptions.md.
const LARGE_REQUEST_SIZE = 271828;
const LARGE_RESPONSE_SIZE = 314159;
const STREAM_REQUEST_SIZES = [27182, 8, 1828, 45904];
const STREAM_RESPONSE_SIZES = [31415, 9, 2653, 58979];
const ECHO_INITIAL_KEY = 'x-grpc-test-echo-initial';
const ECHO_INITIAL_VALUE = 'test_initial_metadata_value';
const ECHO_TRAILING_KEY = 'x-grpc-test-echo-trailing-bin';
const ECHO_TRAILING_VALUE = Buffer.from([0xab, 0xab, 0xab]);
const TEST_STATUS_MESSAGE = 'test status message';
// grpc-js's CompressionAlgorithms enum: identity 0, deflate 1, gzip 2.
const GZIP = 2;
const SPECIAL_STATUS_MESSAGE = '\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \u{1f608}\t\n';

class InteropFailure extends Error {}

function expect(condition, message) {
  if (!condition) {
    throw new InteropFailure(message);
  }
}

// Printed before each call, so the output of a client killed for hanging shows where it hung.
function step(text) {
  console.log(text);
}

function statusName(code) {
  return Object.keys(grpc.status).find((name) => grpc.status[name] === code) ?? String(code);
}

function payload(size) {
  return { type: 'COMPRESSABLE', body: Buffer.alloc(size) };
}

function expectZeros(received, size, what) {
  const body = received?.body ?? Buffer.alloc(0);
  expect(body.length === size, `${what}: payload body is ${body.length} bytes, expected ${size}`);
  expect(body.every((b) => b === 0), `${what}: payload body is not all zeros`);
}

function expectStatus(error, code, message, what) {
  expect(error && typeof error.code === 'number', `${what}: expected a gRPC error, got ${error}`);
  expect(error.code === code,
    `${what}: status ${statusName(error.code)}, expected ${statusName(code)} (details ${JSON.stringify(error.details)})`);
  if (message !== undefined) {
    expect(error.details === message,
      `${what}: status message ${JSON.stringify(error.details)}, expected ${JSON.stringify(message)}`);
  }
}

function echoMetadata() {
  const metadata = new grpc.Metadata();
  metadata.add(ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE);
  metadata.add(ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE);
  return metadata;
}

function checkEcho(initial, trailing, what) {
  const initialValue = initial?.get(ECHO_INITIAL_KEY) ?? [];
  const trailingValue = trailing?.get(ECHO_TRAILING_KEY) ?? [];
  expect(initialValue.length === 1 && initialValue[0] === ECHO_INITIAL_VALUE,
    `${what}: initial metadata ${JSON.stringify(initial?.getMap())} lacks ${ECHO_INITIAL_KEY}=${ECHO_INITIAL_VALUE}`);
  expect(trailingValue.length === 1 && Buffer.isBuffer(trailingValue[0]) && trailingValue[0].equals(ECHO_TRAILING_VALUE),
    `${what}: trailing metadata ${JSON.stringify(trailing?.getMap())} lacks ${ECHO_TRAILING_KEY}=0xababab`);
}

// A unary call as a promise of { response, headers, trailers }, or a rejection with the gRPC error.
function unary(client, method, request, metadata = new grpc.Metadata(), options = {}) {
  return new Promise((resolve, reject) => {
    let headers;
    const call = client[method](request, metadata, options, (error, response) => {
      if (error) {
        reject(error);
      } else {
        call.once('status', (status) => resolve({ response, headers, trailers: status.metadata }));
      }
    });
    call.on('metadata', (received) => { headers = received; });
  });
}

// Collects a response stream: resolves with { responses, headers, status } when it ends with OK,
// rejects with the gRPC error otherwise.
function collect(call) {
  return new Promise((resolve, reject) => {
    const responses = [];
    let headers;
    call.on('metadata', (received) => { headers = received; });
    call.on('data', (response) => responses.push(response));
    call.on('error', reject);
    call.on('status', (status) => {
      if (status.code === grpc.status.OK) {
        resolve({ responses, headers, status });
      }
    });
  });
}

// Reads one message from a streaming call, or rejects with the error that ends it first.
function nextMessage(call) {
  return new Promise((resolve, reject) => {
    const onData = (response) => { cleanup(); resolve(response); };
    const onError = (error) => { cleanup(); reject(error); };
    const onEnd = () => { cleanup(); reject(new InteropFailure('the stream ended without a message')); };
    function cleanup() {
      call.off('data', onData);
      call.off('error', onError);
      call.off('end', onEnd);
    }
    call.on('data', onData);
    call.on('error', onError);
    call.on('end', onEnd);
  });
}

async function expectFailure(promise, code, message, what) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InteropFailure) {
      throw error;
    }
    expectStatus(error, code, message, what);
    return;
  }
  throw new InteropFailure(`${what} succeeded, expected ${statusName(code)}`);
}

const cases = {
  async empty_unary(client) {
    step('EmptyCall with the default Empty');
    const { response } = await unary(client, 'EmptyCall', {});
    expect(response !== null && typeof response === 'object', `EmptyCall returned ${response}, expected an Empty`);
  },

  async large_unary(client) {
    step(`UnaryCall: ${LARGE_REQUEST_SIZE}-byte request, ${LARGE_RESPONSE_SIZE}-byte response`);
    const { response } = await unary(client, 'UnaryCall', {
      response_type: 'COMPRESSABLE',
      response_size: LARGE_RESPONSE_SIZE,
      payload: payload(LARGE_REQUEST_SIZE),
    });
    expectZeros(response.payload, LARGE_RESPONSE_SIZE, 'UnaryCall');
  },

  async client_compressed_unary(client, unimplementedClient, compressedClient) {
    const request = (expectCompressed) => ({
      response_type: 'COMPRESSABLE',
      response_size: LARGE_RESPONSE_SIZE,
      payload: payload(LARGE_REQUEST_SIZE),
      expect_compressed: { value: expectCompressed },
    });

    step('UnaryCall probe: uncompressed, expect_compressed=true');
    await expectFailure(unary(client, 'UnaryCall', request(true)), grpc.status.INVALID_ARGUMENT, undefined, 'the probe');

    step('UnaryCall: gzip, expect_compressed=true');
    const compressed = await unary(compressedClient, 'UnaryCall', request(true));
    expectZeros(compressed.response.payload, LARGE_RESPONSE_SIZE, 'compressed UnaryCall');

    step('UnaryCall: uncompressed, expect_compressed=false');
    const uncompressed = await unary(client, 'UnaryCall', request(false));
    expectZeros(uncompressed.response.payload, LARGE_RESPONSE_SIZE, 'uncompressed UnaryCall');
  },

  async client_streaming(client) {
    step(`StreamingInputCall with payloads of ${STREAM_REQUEST_SIZES.join(', ')} bytes`);
    const response = await new Promise((resolve, reject) => {
      const call = client.StreamingInputCall((error, received) => (error ? reject(error) : resolve(received)));
      for (const size of STREAM_REQUEST_SIZES) {
        call.write({ payload: payload(size) });
      }
      call.end();
    });
    const expected = STREAM_REQUEST_SIZES.reduce((a, b) => a + b, 0);
    expect(response.aggregated_payload_size === expected,
      `aggregated_payload_size is ${response.aggregated_payload_size}, expected ${expected}`);
  },

  async server_streaming(client) {
    step(`StreamingOutputCall asking for responses of ${STREAM_RESPONSE_SIZES.join(', ')} bytes`);
    const { responses } = await collect(client.StreamingOutputCall({
      response_type: 'COMPRESSABLE',
      response_parameters: STREAM_RESPONSE_SIZES.map((size) => ({ size })),
    }));
    expect(responses.length === STREAM_RESPONSE_SIZES.length,
      `received ${responses.length} responses, expected ${STREAM_RESPONSE_SIZES.length}`);
    responses.forEach((response, i) => expectZeros(response.payload, STREAM_RESPONSE_SIZES[i], `response ${i}`));
  },

  async ping_pong(client) {
    const call = client.FullDuplexCall();
    const done = collect(call);
    for (let i = 0; i < STREAM_REQUEST_SIZES.length; i++) {
      step(`FullDuplexCall ping ${i}: ${STREAM_REQUEST_SIZES[i]} bytes, asking for ${STREAM_RESPONSE_SIZES[i]}`);
      const pong = nextMessage(call);
      call.write({
        response_type: 'COMPRESSABLE',
        response_parameters: [{ size: STREAM_RESPONSE_SIZES[i] }],
        payload: payload(STREAM_REQUEST_SIZES[i]),
      });
      expectZeros((await pong).payload, STREAM_RESPONSE_SIZES[i], `pong ${i}`);
    }
    step('FullDuplexCall half-close');
    call.end();
    const { responses } = await done;
    expect(responses.length === STREAM_RESPONSE_SIZES.length,
      `received ${responses.length} responses in all, expected ${STREAM_RESPONSE_SIZES.length}`);
  },

  async empty_stream(client) {
    step('FullDuplexCall, then half-close at once');
    const call = client.FullDuplexCall();
    const done = collect(call);
    call.end();
    const { responses } = await done;
    expect(responses.length === 0, `received ${responses.length} responses, expected none`);
  },

  async custom_metadata(client) {
    step('UnaryCall with echo metadata');
    const { response, headers, trailers } = await unary(client, 'UnaryCall', {
      response_type: 'COMPRESSABLE',
      response_size: LARGE_RESPONSE_SIZE,
      payload: payload(LARGE_REQUEST_SIZE),
    }, echoMetadata());
    expectZeros(response.payload, LARGE_RESPONSE_SIZE, 'UnaryCall');
    checkEcho(headers, trailers, 'UnaryCall');

    step('FullDuplexCall with echo metadata');
    const call = client.FullDuplexCall(echoMetadata());
    const done = collect(call);
    call.write({
      response_type: 'COMPRESSABLE',
      response_parameters: [{ size: LARGE_RESPONSE_SIZE }],
      payload: payload(LARGE_REQUEST_SIZE),
    });
    call.end();
    const { responses, headers: duplexHeaders, status } = await done;
    expect(responses.length === 1, `FullDuplexCall: received ${responses.length} responses, expected 1`);
    expectZeros(responses[0].payload, LARGE_RESPONSE_SIZE, 'FullDuplexCall');
    checkEcho(duplexHeaders, status.metadata, 'FullDuplexCall');
  },

  async status_code_and_message(client) {
    const code = grpc.status.UNKNOWN;
    const responseStatus = { code, message: TEST_STATUS_MESSAGE };

    step(`UnaryCall asking for status ${statusName(code)} ${JSON.stringify(TEST_STATUS_MESSAGE)}`);
    await expectFailure(unary(client, 'UnaryCall', { response_status: responseStatus }), code, TEST_STATUS_MESSAGE, 'UnaryCall');

    step(`FullDuplexCall asking for status ${statusName(code)} ${JSON.stringify(TEST_STATUS_MESSAGE)}, then half-close`);
    const call = client.FullDuplexCall();
    const done = collect(call);
    call.write({ response_status: responseStatus });
    call.end();
    await expectFailure(done, code, TEST_STATUS_MESSAGE, 'FullDuplexCall');
  },

  async special_status_message(client) {
    const code = grpc.status.UNKNOWN;
    step(`UnaryCall asking for status ${statusName(code)} ${JSON.stringify(SPECIAL_STATUS_MESSAGE)}`);
    await expectFailure(
      unary(client, 'UnaryCall', { response_status: { code, message: SPECIAL_STATUS_MESSAGE } }),
      code, SPECIAL_STATUS_MESSAGE, 'UnaryCall');
  },

  async unimplemented_method(client) {
    step('TestService/UnimplementedCall');
    await expectFailure(unary(client, 'UnimplementedCall', {}), grpc.status.UNIMPLEMENTED, undefined, 'UnimplementedCall');
  },

  async unimplemented_service(client, unimplementedClient) {
    step('UnimplementedService/UnimplementedCall');
    await expectFailure(unary(unimplementedClient, 'UnimplementedCall', {}),
      grpc.status.UNIMPLEMENTED, undefined, 'UnimplementedService/UnimplementedCall');
  },

  async cancel_after_begin(client) {
    step('StreamingInputCall, cancelled before any message');
    const result = new Promise((resolve, reject) => {
      const call = client.StreamingInputCall((error, response) => (error ? reject(error) : resolve(response)));
      call.cancel();
    });
    await expectFailure(result, grpc.status.CANCELLED, undefined, 'StreamingInputCall');
  },

  async cancel_after_first_response(client) {
    const call = client.FullDuplexCall();
    const done = collect(call);
    step(`FullDuplexCall: ${STREAM_REQUEST_SIZES[0]} bytes, asking for ${STREAM_RESPONSE_SIZES[0]}`);
    const first = nextMessage(call);
    call.write({
      response_type: 'COMPRESSABLE',
      response_parameters: [{ size: STREAM_RESPONSE_SIZES[0] }],
      payload: payload(STREAM_REQUEST_SIZES[0]),
    });
    expectZeros((await first).payload, STREAM_RESPONSE_SIZES[0], 'first response');
    step('cancel after the first response');
    call.cancel();
    await expectFailure(done, grpc.status.CANCELLED, undefined, 'FullDuplexCall after cancel');
  },

  async timeout_on_sleeping_server(client) {
    step('FullDuplexCall with a 1 ms deadline and one request, then wait');
    const call = client.FullDuplexCall({ deadline: Date.now() + 1 });
    const done = collect(call);
    call.write({ response_type: 'COMPRESSABLE', payload: payload(STREAM_REQUEST_SIZES[0]) });
    await expectFailure(done, grpc.status.DEADLINE_EXCEEDED, undefined, 'FullDuplexCall');
  },
};

function parseArguments(argv) {
  const args = { server_host: '127.0.0.1', use_tls: 'false' };
  for (const argument of argv) {
    const match = /^--([a-z_]+)=(.*)$/.exec(argument);
    if (!match) {
      throw new InteropFailure(`unexpected argument ${argument}; use --server_host=, --server_port=, --test_case=`);
    }
    args[match[1]] = match[2];
  }
  if (!args.server_port || !args.test_case) {
    throw new InteropFailure('--server_port and --test_case are required');
  }
  if (!Object.hasOwn(cases, args.test_case)) {
    throw new InteropFailure(`unknown test case ${args.test_case}; known: ${Object.keys(cases).join(', ')}`);
  }
  if (args.use_tls !== 'false') {
    throw new InteropFailure('only plaintext (h2c) is supported: --use_tls=false');
  }
  return args;
}

async function main() {
  let args;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    return 2;
  }

  const definition = protoLoader.loadSync('grpc/testing/test.proto', {
    includeDirs: [path.join(__dirname, '..', 'protos')],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const testing = grpc.loadPackageDefinition(definition).grpc.testing;
  const target = `${args.server_host}:${args.server_port}`;
  // A proxy from the environment (http_proxy) must not sit between the client and a loopback server.
  const options = { 'grpc.enable_http_proxy': 0 };
  const client = new testing.TestService(target, grpc.credentials.createInsecure(), options);
  const unimplementedClient = new testing.UnimplementedService(target, grpc.credentials.createInsecure(), options);
  // grpc-js sets compression per channel, so client_compressed_unary gets a gzip one of its own.
  const compressedClient = new testing.TestService(
    target, grpc.credentials.createInsecure(), { ...options, 'grpc.default_compression_algorithm': GZIP });
  const version = require('@grpc/grpc-js/package.json').version;
  console.log(`@grpc/grpc-js ${version} on node ${process.version} -> ${target}, case ${args.test_case}`);

  try {
    await cases[args.test_case](client, unimplementedClient, compressedClient);
  } catch (error) {
    const reason = error instanceof InteropFailure
      ? error.message
      : `unexpected ${error.code !== undefined ? `status ${statusName(error.code)}: ${JSON.stringify(error.details)}` : error.stack}`;
    console.error(`FAIL ${args.test_case}: ${reason}`);
    return 1;
  } finally {
    client.close();
    unimplementedClient.close();
    compressedClient.close();
  }
  console.log(`PASS ${args.test_case}`);
  return 0;
}

main().then((code) => { process.exitCode = code; });
