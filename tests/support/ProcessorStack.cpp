#include "ProcessorStack.h"

#include "PipelineStack.h"

#include <QJsonDocument>
#include <gtest/gtest.h>

namespace greenpulse::test {

bool ProcessorStack::start(const QString &name, const QStringList &extraArgs)
{
    if (!broker.start()) {
        ADD_FAILURE() << broker.lastError().toStdString();
        return false;
    }
    const QStringList args{QStringLiteral("--broker"),     broker.url(),
                           QStringLiteral("--state-file"), dir.filePath(QStringLiteral("l.json")),
                           QStringLiteral("--client-id"),  name + QStringLiteral("-processor"),
                           QStringLiteral("--config"),     QStringLiteral("/dev/null")};
    if (!startProcessor(processor, args + extraArgs)) {
        ADD_FAILURE() << processor.readStderr().toStdString();
        return false;
    }
    core::MqttOptions o;
    o.brokerUrl = broker.url();
    o.clientId = name + QStringLiteral("-publisher");
    publisher = std::make_unique<core::MosquittoClient>(o);
    publisher->connectToBroker();
    return waitUntil([&] { return publisher->state() == core::ConnectionState::Connected; }, 10000);
}

void ProcessorStack::publish(const char *topic, const QByteArray &payload)
{
    publisher->publish(QByteArray(topic), payload, 1, false);
}

QJsonObject ProcessorStack::stop()
{
    EXPECT_TRUE(processor.terminate(20000));
    return QJsonDocument::fromJson(processor.readStdout()).object();
}

} // namespace greenpulse::test
