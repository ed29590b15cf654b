#include "base/JsonOutput.h"

#include <QJsonDocument>

namespace greenpulse::core {

void printJson(FILE *stream, const QJsonObject &object)
{
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace greenpulse::core
