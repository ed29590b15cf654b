// greenpulse-microbench: parsing alone and accounting alone, ns per message, under Google
// Benchmark. Run by greenpulse-bench (JSON output), or by hand:
//   build/bin/greenpulse-microbench --benchmark_min_time=1

#include "base/Clock.h"
#include "accounting/Ledger.h"
#include "mqtt/MosquittoClient.h"
#include "PowerFeed.h"
#include "pipeline/Processor.h"
#include "protocol/Protocol.h"

#include <QCoreApplication>
#include <benchmark/benchmark.h>
#include <vector>

using namespace greenpulse;

namespace {

constexpr int kHosts = 1000;
constexpr int kJobs = 100;
constexpr qint64 kStart = 1'764'049'200;

std::vector<QByteArray> payloads(int rounds)
{
    const bench::PowerFeed feed(kHosts, kJobs, kStart);
    std::vector<QByteArray> out;
    out.reserve(static_cast<size_t>(kHosts) * static_cast<size_t>(rounds));
    for (qint64 k = 0; k < static_cast<qint64>(kHosts) * rounds; ++k) {
        out.push_back(feed.payload(k));
    }
    return out;
}

// Decodes the same few power payloads over and over with `decodeFn`.
template <typename DecodeFn> void decodeLoop(benchmark::State &state, DecodeFn decodeFn)
{
    const std::vector<QByteArray> messages = payloads(4);
    const QByteArray topic = bench::PowerFeed::topic();
    size_t i = 0;
    for (auto _ : state) {
        core::Decoded decoded = decodeFn(topic, messages[i], kStart * 1'000'000'000LL);
        benchmark::DoNotOptimize(decoded);
        i = (i + 1) % messages.size();
    }
    state.SetItemsProcessed(state.iterations());
}

// Parsing alone: core::decode() of a power sample (JSON, validation, timestamp).
void BM_DecodePower(benchmark::State &state)
{
    decodeLoop(state, core::decode);
}
BENCHMARK(BM_DecodePower);

// The same payloads through the reference decoder alone (a full QJsonDocument parse, what
// decode() did before its fast path; still what it does for anything unusual).
void BM_DecodeReferencePower(benchmark::State &state)
{
    decodeLoop(state, core::decodeReference);
}
BENCHMARK(BM_DecodeReferencePower);

// Accounting alone: Ledger::addPower() of decoded samples, 1,000 hosts, 100 jobs, one second
// apart per host (integration, attribution, per-job totals).
void BM_LedgerAddPower(benchmark::State &state)
{
    const int rounds = 64;
    std::vector<core::PowerSample> samples;
    for (const QByteArray &payload : payloads(rounds)) {
        samples.push_back(std::get<core::PowerSample>(
            core::decode(bench::PowerFeed::topic(), payload, kStart * 1'000'000'000LL)));
    }
    core::ManualClock clock(kStart * 1'000'000'000LL);
    auto ledger = std::make_unique<core::Ledger>(core::LedgerConfig::forReplay(), clock);
    qint64 shift = 0; // each pass over the samples is moved on in time, so none is out of order
    size_t i = 0;
    for (auto _ : state) {
        core::PowerSample sample = samples[i];
        sample.timestampNs += shift;
        clock.set(sample.timestampNs);
        benchmark::DoNotOptimize(ledger->addPower(sample));
        if (++i == samples.size()) {
            i = 0;
            shift += rounds * 1'000'000'000LL;
        }
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LedgerAddPower);

// Both, as the processor does for every MQTT message: Processor::handleMessage (classify,
// decode, ledger, counters).
void BM_ProcessorHandleMessage(benchmark::State &state)
{
    const int rounds = 64;
    const bench::PowerFeed feed(kHosts, kJobs, kStart);
    core::ManualClock clock((kStart + rounds) * 1'000'000'000LL);
    core::Ledger ledger(core::LedgerConfig::forReplay(), clock);
    core::MosquittoClient mqtt(core::MqttOptions{}); // never connected
    core::ProcessorOptions options;
    options.subscribe = false;
    core::Processor processor(ledger, mqtt, clock, options);
    std::vector<QByteArray> messages = payloads(rounds);
    const QByteArray topic = bench::PowerFeed::topic();
    qint64 pass = 0;
    size_t i = 0;
    for (auto _ : state) {
        processor.handleMessage(topic, messages[i]);
        if (++i == messages.size()) {
            state.PauseTiming();
            i = 0;
            ++pass;
            const bench::PowerFeed next(kHosts, kJobs, kStart + pass * rounds);
            for (size_t k = 0; k < messages.size(); ++k) {
                messages[k] = next.payload(static_cast<qint64>(k));
            }
            clock.set((kStart + (pass + 1) * rounds) * 1'000'000'000LL);
            state.ResumeTiming();
        }
    }
    state.SetItemsProcessed(state.iterations());
    if (ledger.counters().outOfOrder != 0) {
        state.SkipWithError("samples out of order");
    }
}
BENCHMARK(BM_ProcessorHandleMessage);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv); // the Processor is a QObject with timers
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
