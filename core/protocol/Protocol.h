#pragma once

// The wire contract of GreenPulse: topics and JSON payloads, kept compatible with the original
// Python publishers. One decoder and one set of encoders; every program uses these.
// See docs/protocol.md. This header gathers the folder's public parts:
//   Topics.h   topic names, builders and the parsed Topic value
//   Messages.h samples, control messages, rejections, limits
//   Decode.h   decode() and decodeReference()
//   Encode.h   encode()
// JobId.h and ControlOrigin.h are included on their own.

#include "protocol/Decode.h"
#include "protocol/Encode.h"
#include "protocol/Messages.h"
#include "protocol/Topics.h"
