#include "protocol/Topics.h"

namespace greenpulse::core {

namespace {

constexpr char kRawPrefix[] = "greenpulse/raw/";
constexpr char kStatePrefix[] = "greenpulse/state/";
constexpr char kPowerLeaf[] = "power";
constexpr char kFlowTempLeaf[] = "flow_temp";
constexpr char kCarbonIntensityLeaf[] = "carbon_intensity";

template <std::size_t N> constexpr QByteArrayView lit(const char (&text)[N])
{
    return QByteArrayView(text, N - 1);
}

bool startsWith(QByteArrayView s, QByteArrayView prefix)
{
    return s.size() >= prefix.size() && s.first(prefix.size()) == prefix;
}

// <prefix><name>/<leaf>: returns <name> (one non-empty level) or an empty view.
QByteArrayView middleSegment(QByteArrayView topic, QByteArrayView prefix, QByteArrayView leaf)
{
    if (!startsWith(topic, prefix) || topic.size() < prefix.size() + 2 + leaf.size())
        return {};
    if (topic.last(leaf.size()) != leaf || topic[topic.size() - leaf.size() - 1] != '/')
        return {};
    const QByteArrayView name =
        topic.sliced(prefix.size(), topic.size() - prefix.size() - leaf.size() - 1);
    if (name.isEmpty() || name.contains('/'))
        return {};
    return name;
}

// greenpulse/raw/<host>/<leaf>: returns <host> or an empty view.
QByteArrayView perHostSegment(QByteArrayView topic, QByteArrayView leaf)
{
    return middleSegment(topic, lit(kRawPrefix), leaf);
}

// greenpulse/control/<user>: returns <user> (one non-empty level) or an empty view.
QByteArrayView userControlSegment(QByteArrayView topic)
{
    const QByteArrayView prefix(topics::kUserControlPrefix);
    if (!startsWith(topic, prefix) || topic.size() == prefix.size())
        return {};
    const QByteArrayView user = topic.sliced(prefix.size());
    return user.contains('/') ? QByteArrayView() : user;
}

} // namespace

namespace topics {
QByteArray powerForHost(const QString &host)
{
    return kRawPrefix + host.toUtf8() + '/' + kPowerLeaf;
}

QByteArray flowTempForHost(const QString &host)
{
    return kRawPrefix + host.toUtf8() + '/' + kFlowTempLeaf;
}

QByteArray jobState(const QString &jobId)
{
    return kJobStatePrefix + jobId.toUtf8();
}

QByteArray status(const QString &clientId)
{
    return kStatusPrefix + clientId.toUtf8();
}

QByteArray control(const ControlOrigin &origin)
{
    switch (origin.kind) {
    case ControlOrigin::Kind::User:
        return kUserControlPrefix + origin.user.toUtf8();
    case ControlOrigin::Kind::Operators:
        return kOperatorsControl;
    case ControlOrigin::Kind::Legacy:
        break;
    }
    return kControl;
}

QByteArray gridCarbonIntensity(const QString &zone)
{
    return kGridPrefix + zone.toUtf8() + '/' + kCarbonIntensityLeaf;
}

QByteArray ledgerRoot(const QString &processor)
{
    return kLedgerPrefix + processor.toUtf8() + '/';
}

QByteArray ledgerSummary(const QString &processor)
{
    return ledgerRoot(processor) + kLedgerSummaryLeaf;
}

QByteArray ledgerJob(const QString &processor, const QString &jobId)
{
    return ledgerRoot(processor) + kLedgerJobsLevel + '/' + jobId.toUtf8();
}

QByteArray ledgerHostPage(const QString &processor, int page)
{
    return ledgerRoot(processor) + kLedgerHostsLevel + '/' + QByteArray::number(page);
}

bool isValidProcessorName(const QString &name)
{
    constexpr qsizetype kMaxBytes = 128;
    const QByteArray utf8 = name.toUtf8();
    if (utf8.isEmpty() || utf8.size() > kMaxBytes) {
        return false;
    }
    for (const QChar c : name) {
        if (c == QLatin1Char('/') || c == QLatin1Char('+') || c == QLatin1Char('#') ||
            !c.isPrint() || c.isSpace()) {
            return false;
        }
    }
    return true;
}
} // namespace topics

Topic parseTopic(QByteArrayView topic)
{
    Topic t;
    if (topic == QByteArrayView(topics::kPower)) {
        t.kind = TopicKind::Power;
    } else if (topic == QByteArrayView(topics::kFlowTemp)) {
        t.kind = TopicKind::FlowTemp;
    } else if (topic == QByteArrayView(topics::kControl)) {
        t.kind = TopicKind::Control;
    } else if (topic == QByteArrayView(topics::kOperatorsControl)) {
        t.kind = TopicKind::Control;
        t.operators = true;
    } else if (const QByteArrayView user = userControlSegment(topic); !user.isEmpty()) {
        t.kind = TopicKind::Control;
        t.user = user;
    } else if (startsWith(topic, lit(kRawPrefix))) {
        if (const QByteArrayView host = perHostSegment(topic, lit(kPowerLeaf)); !host.isEmpty()) {
            t.kind = TopicKind::Power;
            t.host = host;
        } else if (const QByteArrayView h = perHostSegment(topic, lit(kFlowTempLeaf));
                   !h.isEmpty()) {
            t.kind = TopicKind::FlowTemp;
            t.host = h;
        }
    } else if (startsWith(topic, QByteArrayView(topics::kGridPrefix))) {
        t.zone =
            middleSegment(topic, QByteArrayView(topics::kGridPrefix), lit(kCarbonIntensityLeaf));
        if (!t.zone.isEmpty())
            t.kind = TopicKind::GridIntensity;
    } else if (startsWith(topic, lit(kStatePrefix))) {
        t.kind = TopicKind::JobState;
    } else if (startsWith(topic, QByteArrayView(topics::kStatusPrefix))) {
        t.kind = TopicKind::Status;
    } else if (startsWith(topic, QByteArrayView(topics::kLedgerPrefix))) {
        t.kind = TopicKind::Ledger;
    }
    return t;
}

TopicKind classifyTopic(QByteArrayView topic)
{
    return parseTopic(topic).kind;
}

} // namespace greenpulse::core
