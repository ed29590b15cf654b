#include "base/Backoff.h"

#include <QRandomGenerator>
#include <cmath>

namespace greenpulse::core {

Backoff::Backoff(Policy policy, RandomSource random) : m_policy(policy), m_random(std::move(random))
{
    setLimits(policy.initialMs, policy.maxMs);
}

void Backoff::setLimits(int initialMs, int maxMs)
{
    m_policy.initialMs = qMax(1, initialMs);
    m_policy.maxMs = qMax(m_policy.initialMs, maxMs);
    m_stepMs = qMin(m_stepMs, m_policy.maxMs);
}

int Backoff::next()
{
    advance();
    return jittered();
}

void Backoff::advance()
{
    if (m_stepMs <= 0) {
        m_stepMs = m_policy.initialMs;
    } else {
        const double grown = std::ceil(m_stepMs * qMax(1.0, m_policy.multiplier));
        m_stepMs = static_cast<int>(qMin(grown, static_cast<double>(m_policy.maxMs)));
    }
}

int Backoff::next(int retryAfterMs)
{
    advance();
    if (retryAfterMs < 0) {
        return jittered();
    }
    const quint32 bound = static_cast<quint32>(qMax(1, m_policy.retryAfterJitterMs));
    return retryAfterMs + static_cast<int>(draw(bound));
}

int Backoff::nextAtMax()
{
    m_stepMs = m_policy.maxMs;
    return jittered();
}

int Backoff::jittered() const
{
    const auto low = static_cast<qint64>(m_stepMs * m_policy.jitterLow);
    const auto high = qMax(low, static_cast<qint64>(m_stepMs * m_policy.jitterHigh));
    const auto span = static_cast<quint32>(qMin<qint64>(high - low, 0x7fffffff));
    return static_cast<int>(qMax<qint64>(1, low + draw(span + 1)));
}

quint32 Backoff::draw(quint32 bound) const
{
    if (bound <= 1) {
        return 0;
    }
    const quint32 value = m_random ? m_random(bound) : QRandomGenerator::global()->bounded(bound);
    return qMin(value, bound - 1);
}

} // namespace greenpulse::core
