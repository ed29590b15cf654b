// libFuzzer target for the wire decoder and the ledger behind it.
//
// Input: "topic\npayload", optionally repeated ("topic\npayload\ntopic\npayload..."): lines
// alternate between topics and payloads (so payloads are single-line). Every message is decoded;
// accepted ones must survive an encode/decode round trip and are fed into a Ledger with a
// ManualClock that advances one second per message. The target aborts when decode() (with its
// fast path) and decodeReference() (always QJsonDocument) disagree, when a round trip changes
// a message, or when a ledger total becomes NaN, infinite or negative.
#include "base/Clock.h"
#include "protocol/FastDecode_p.h"
#include "accounting/Ledger.h"
#include "protocol/Protocol.h"

#include <QByteArrayView>
#include <QtGlobal>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <variant>

using namespace greenpulse::core;

namespace {

constexpr qint64 kStartNs = 1'764'049'200'000'000'000; // the seeds' instants
constexpr TimeNs kRoundTripToleranceNs = 2000;         // microsecond encoding + double precision

[[noreturn]] void fail(const char *what, const QString &where = QString())
{
    std::fprintf(stderr, "fuzz_decode: %s %s\n", what, qPrintable(where));
    std::abort();
}

void checkQuantity(double value, const char *what, const QString &jobId)
{
    if (!std::isfinite(value) || value < 0)
        fail(what, jobId + QStringLiteral(" = ") + QString::number(value));
}

void checkLedger(const Ledger &ledger)
{
    for (const JobSummary &job : ledger.jobs()) {
        checkQuantity(job.kwh, "kwh", job.jobId);
        checkQuantity(job.co2eKg, "co2e_kg", job.jobId);
        checkQuantity(job.liters, "liters", job.jobId);
        checkQuantity(job.durationSeconds, "duration_s", job.jobId);
        checkQuantity(job.currentWatts, "current_watts", job.jobId);
        checkQuantity(job.avgWatts, "avg_watts", job.jobId);
        checkQuantity(job.peakWatts, "peak_watts", job.jobId);
        checkQuantity(job.coveredSeconds, "covered_s", job.jobId);
        checkQuantity(job.uncoveredSeconds, "uncovered_s", job.jobId);
        checkQuantity(job.coverage, "coverage", job.jobId);
        if (job.coverage > 1.0 + 1e-9)
            fail("coverage above 1", job.jobId);
    }
    for (const HostSummary &host : ledger.hosts()) {
        checkQuantity(host.watts, "host watts", host.host);
        checkQuantity(host.flowLpm, "host flow_lpm", host.host);
    }
}

void checkTimestamp(TimeNs original, TimeNs back)
{
    const TimeNs diff = original > back ? original - back : back - original;
    if (diff > kRoundTripToleranceNs)
        fail("round trip changed the timestamp", QString::number(original));
}

// decode(encode(x)) must give x back (timestamps to the microsecond).
void checkRoundTrip(const Decoded &decoded)
{
    if (const auto *p = std::get_if<PowerSample>(&decoded)) {
        const Decoded again = decode(topics::kPower, encode(*p), 1);
        const auto *b = std::get_if<PowerSample>(&again);
        if (!b || b->host != p->host || b->watts != p->watts || b->jobId != p->jobId)
            fail("power round trip", QString::fromUtf8(encode(*p)));
        checkTimestamp(p->timestampNs, b->timestampNs);
    } else if (const auto *f = std::get_if<FlowTempSample>(&decoded)) {
        const Decoded again = decode(topics::kFlowTemp, encode(*f), 1);
        const auto *b = std::get_if<FlowTempSample>(&again);
        if (!b || b->host != f->host || b->flowLpm != f->flowLpm || b->tempC != f->tempC)
            fail("flow_temp round trip", QString::fromUtf8(encode(*f)));
        checkTimestamp(f->timestampNs, b->timestampNs);
    } else if (const auto *c = std::get_if<ControlMessage>(&decoded)) {
        const Decoded again = decode(topics::kControl, encode(*c), 1);
        const auto *b = std::get_if<ControlMessage>(&again);
        if (!b || b->status != c->status || b->jobId != c->jobId || b->host != c->host ||
            b->exitCode != c->exitCode)
            fail("control round trip", QString::fromUtf8(encode(*c)));
        checkTimestamp(c->timestampNs, b->timestampNs);
    } else if (const auto *r = std::get_if<Rejection>(&decoded)) {
        if (r->detail.isEmpty())
            fail("rejection without detail", QString::fromLatin1(rejectReasonName(r->reason)));
    }
}

void quietMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg)
        std::fprintf(stderr, "%s\n", qPrintable(message)); // Qt aborts after the handler
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    qInstallMessageHandler(quietMessages); // rejections are expected: keep the output short
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    ManualClock clock(kStartNs + 3'600'000'000'000);
    Ledger ledger(LedgerConfig{}, clock);

    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype topicEnd = input.indexOf('\n', pos);
        if (topicEnd < 0)
            break; // a topic without a payload
        const QByteArrayView topic = input.sliced(pos, topicEnd - pos);
        qsizetype payloadEnd = input.indexOf('\n', topicEnd + 1);
        if (payloadEnd < 0) // the last payload runs to the end of the input
            payloadEnd = input.size();
        const QByteArrayView payload = input.sliced(topicEnd + 1, payloadEnd - topicEnd - 1);
        pos = payloadEnd + 1;

        const Decoded decoded = decode(topic, payload, clock.nowNs());
        if (!sameDecoded(decoded, decodeReference(topic, payload, clock.nowNs())))
            fail("fast path and reference decoder differ on", QString::fromUtf8(payload));
        checkRoundTrip(decoded);
        if (const auto *p = std::get_if<PowerSample>(&decoded))
            ledger.addPower(*p);
        else if (const auto *f = std::get_if<FlowTempSample>(&decoded))
            ledger.addFlowTemp(*f);
        else if (const auto *c = std::get_if<ControlMessage>(&decoded))
            ledger.applyControl(*c);
        checkLedger(ledger);
        clock.advanceSeconds(1);
    }
    return 0;
}
