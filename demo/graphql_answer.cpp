// Validation and execution of GraphQL requests against the demo service's schema (see graphql_answer.h).
#include "demo/graphql_answer.h"

#include "demo/json_writer.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLatin1String>

#include <algorithm>
#include <array>
#include <span>

namespace pulse::demo {

struct SchemaField {
    std::string_view name;
    std::string_view type;
};

/// SchemaType is an object type of the schema; scalar types have no entry.
struct SchemaType {
    std::string_view name;
    std::span<const SchemaField> fields;
};

namespace {

constexpr std::string_view kJson = "application/json";

constexpr std::array<SchemaField, 2> kQueryFields{{{"stats", "Stats"}, {"health", "Health"}}};
constexpr std::array<SchemaField, 4> kStatsFields{
    {{"activeUsers", "Int"}, {"queueDepth", "Int"}, {"requestsTotal", "Float"}, {"errorRatio", "Float"}}};
constexpr std::array<SchemaField, 2> kHealthFields{{{"status", "String"}, {"uptimeSeconds", "Float"}}};
constexpr SchemaField kTypenameField{"__typename", "String!"};

const std::array<SchemaType, 3> kObjectTypes{
    {{"Query", kQueryFields}, {"Stats", kStatsFields}, {"Health", kHealthFields}}};

const SchemaType *findType(std::string_view name)
{
    const auto it = std::find_if(kObjectTypes.begin(), kObjectTypes.end(),
                                 [&](const SchemaType &type) { return type.name == name; });
    return it == kObjectTypes.end() ? nullptr : &*it;
}

const SchemaField *findField(const SchemaType &type, std::string_view name)
{
    if (name == kTypenameField.name)
        return &kTypenameField;
    const auto it = std::find_if(type.fields.begin(), type.fields.end(),
                                 [&](const SchemaField &field) { return field.name == name; });
    return it == type.fields.end() ? nullptr : &*it;
}

std::string quote(std::string_view text)
{
    return '"' + std::string(text) + '"';
}

HttpAnswer errorAnswer(int status, const std::vector<GraphqlError> &errors)
{
    JsonWriter out;
    out.beginObject().key("errors").beginArray();
    for (const GraphqlError &error : errors) {
        out.beginObject();
        out.stringMember("message", error.message);
        if (!error.locations.empty()) {
            out.key("locations").beginArray();
            for (const SourceLocation &location : error.locations) {
                out.beginObject();
                out.integerMember("line", location.line);
                out.integerMember("column", location.column);
                out.endObject();
            }
            out.endArray();
        }
        out.endObject();
    }
    out.endArray().endObject();
    return {status, std::string(kJson), out.take()};
}

HttpAnswer requestError(std::string message)
{
    return errorAnswer(400, {GraphqlError{std::move(message), {}}});
}

std::vector<const GraphqlField *> pointersTo(const std::vector<GraphqlField> &fields)
{
    std::vector<const GraphqlField *> pointers;
    pointers.reserve(fields.size());
    for (const GraphqlField &field : fields)
        pointers.push_back(&field);
    return pointers;
}

/// mergedSelections joins the sub-selections of fields that share a response key, as GraphQL's
/// CollectFields does: `stats { a } stats { b }` answers one "stats" object with a and b.
std::vector<const GraphqlField *> mergedSelections(const std::vector<const GraphqlField *> &group)
{
    std::vector<const GraphqlField *> merged;
    for (const GraphqlField *field : group)
        for (const GraphqlField &sub : field->selections)
            merged.push_back(&sub);
    return merged;
}

} // namespace

GraphqlAnswer::GraphqlAnswer(DemoSnapshot snapshot) : m_snapshot(std::move(snapshot)) {}

HttpAnswer GraphqlAnswer::answer(std::string_view requestBody) const
{
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray(requestBody.data(), qsizetype(requestBody.size())), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return requestError("Request body is not valid JSON: " + parseError.errorString().toStdString() +
                            " at offset " + std::to_string(parseError.offset) + ".");
    if (!document.isObject())
        return requestError("Request body must be a JSON object.");
    const QJsonObject request = document.object();

    const QJsonValue query = request.value(QLatin1String("query"));
    if (!query.isString())
        return requestError("Request body must contain a \"query\" string.");
    const QJsonValue variables = request.value(QLatin1String("variables"));
    if (!variables.isUndefined() && !variables.isNull() && !variables.isObject())
        return requestError("\"variables\" must be a JSON object.");
    const QJsonValue operationName = request.value(QLatin1String("operationName"));
    if (!operationName.isUndefined() && !operationName.isNull() && !operationName.isString())
        return requestError("\"operationName\" must be a string.");

    return answerQuery(query.toString().toStdString(), operationName.toString().toStdString());
}

HttpAnswer GraphqlAnswer::answerQuery(std::string_view query, std::string_view operationName) const
{
    auto parsed = GraphqlParser::parse(query);
    if (!parsed)
        return errorAnswer(200, {parsed.error()});
    const std::vector<GraphqlOperation> &operations = parsed->operations;

    std::vector<GraphqlError> errors;
    for (std::size_t i = 0; i < operations.size(); ++i) {
        const GraphqlOperation &operation = operations[i];
        if (operation.name.empty() && operations.size() > 1)
            errors.push_back({"This anonymous operation must be the only defined operation.", {operation.location}});
        for (std::size_t j = 0; j < i && !operation.name.empty(); ++j) {
            if (operations[j].name == operation.name) {
                errors.push_back({"There can be only one operation named " + quote(operation.name) + ".",
                                  {operations[j].location, operation.location}});
                break;
            }
        }
        if (operation.type != "query") {
            errors.push_back(
                {"Schema is not configured to execute " + operation.type + " operation.", {operation.location}});
            continue;
        }
        validateFields(*findType("Query"), operation.selections, errors);
    }
    if (!errors.empty()) {
        // A conflict inside repeated fields is found both per field and in their merged selection.
        std::vector<GraphqlError> unique;
        for (GraphqlError &error : errors) {
            const bool seen = std::any_of(unique.begin(), unique.end(), [&](const GraphqlError &kept) {
                return kept.message == error.message && kept.locations.size() == error.locations.size() &&
                       std::equal(
                           kept.locations.begin(), kept.locations.end(), error.locations.begin(),
                           [](SourceLocation a, SourceLocation b) { return a.line == b.line && a.column == b.column; });
            });
            if (!seen)
                unique.push_back(std::move(error));
        }
        return errorAnswer(200, unique);
    }

    const GraphqlOperation *chosen = nullptr;
    if (!operationName.empty()) {
        const auto it = std::find_if(operations.begin(), operations.end(), [&](const GraphqlOperation &operation) {
            return operation.name == operationName;
        });
        if (it == operations.end())
            return errorAnswer(200, {GraphqlError{"Unknown operation named " + quote(operationName) + ".", {}}});
        chosen = &*it;
    } else if (operations.size() > 1) {
        return errorAnswer(200,
                           {GraphqlError{"Must provide operation name if query contains multiple operations.", {}}});
    } else {
        chosen = &operations.front();
    }

    JsonWriter out;
    out.beginObject().key("data");
    writeObject(*findType("Query"), pointersTo(chosen->selections), out);
    out.endObject();
    return {200, std::string(kJson), out.take()};
}

std::vector<GraphqlAnswer::FieldGroup>
GraphqlAnswer::groupByResponseKey(const std::vector<const GraphqlField *> &fields)
{
    std::vector<FieldGroup> groups;
    for (const GraphqlField *field : fields) {
        const auto it = std::find_if(groups.begin(), groups.end(),
                                     [&](const FieldGroup &group) { return group.first == field->responseKey(); });
        if (it == groups.end())
            groups.push_back({field->responseKey(), {field}});
        else
            it->second.push_back(field);
    }
    return groups;
}

void GraphqlAnswer::validateFields(const SchemaType &type, const std::vector<GraphqlField> &fields,
                                   std::vector<GraphqlError> &errors) const
{
    for (const GraphqlField &field : fields) {
        const SchemaField *definition = findField(type, field.name);
        if (definition == nullptr) {
            errors.push_back(
                {"Cannot query field " + quote(field.name) + " on type " + quote(type.name) + ".", {field.location}});
            continue;
        }
        for (const GraphqlArgument &argument : field.arguments)
            errors.push_back({"Unknown argument " + quote(argument.name) + " on field " +
                                  quote(std::string(type.name) + '.' + field.name) + ".",
                              {argument.location}});
        const SchemaType *fieldType = findType(definition->type);
        if (fieldType != nullptr && !field.hasSelectionSet) {
            errors.push_back({"Field " + quote(field.name) + " of type " + quote(definition->type) +
                                  " must have a selection of subfields. Did you mean " +
                                  quote(field.name + " { ... }") + "?",
                              {field.location}});
        } else if (fieldType == nullptr && field.hasSelectionSet) {
            errors.push_back({"Field " + quote(field.name) + " must not have a selection since type " +
                                  quote(definition->type) + " has no subfields.",
                              {field.location}});
        } else if (fieldType != nullptr) {
            validateFields(*fieldType, field.selections, errors);
        }
    }
    checkConflicts(type, pointersTo(fields), errors);
}

void GraphqlAnswer::checkConflicts(const SchemaType &type, const std::vector<const GraphqlField *> &fields,
                                   std::vector<GraphqlError> &errors) const
{
    for (const FieldGroup &group : groupByResponseKey(fields)) {
        const GraphqlField *first = group.second.front();
        bool conflict = false;
        for (const GraphqlField *other : group.second) {
            if (other->name == first->name)
                continue;
            conflict = true;
            errors.push_back({"Fields " + quote(group.first) + " conflict because " + quote(first->name) + " and " +
                                  quote(other->name) +
                                  " are different fields. Use different aliases on the fields to fetch both if this "
                                  "was intentional.",
                              {first->location, other->location}});
        }
        const SchemaField *definition = findField(type, first->name);
        const SchemaType *fieldType = definition ? findType(definition->type) : nullptr;
        // Only the merged selections of a group with more than one field can conflict anew; single
        // fields were checked by validateFields already.
        if (!conflict && fieldType != nullptr && group.second.size() > 1)
            checkConflicts(*fieldType, mergedSelections(group.second), errors);
    }
}

void GraphqlAnswer::writeObject(const SchemaType &type, const std::vector<const GraphqlField *> &fields,
                                JsonWriter &out) const
{
    out.beginObject();
    for (const FieldGroup &group : groupByResponseKey(fields)) {
        const GraphqlField *field = group.second.front();
        out.key(group.first);
        if (field->name == kTypenameField.name) {
            out.string(type.name);
            continue;
        }
        const SchemaType *fieldType = findType(findField(type, field->name)->type);
        if (fieldType != nullptr)
            writeObject(*fieldType, mergedSelections(group.second), out);
        else
            writeScalar(type, field->name, out);
    }
    out.endObject();
}

void GraphqlAnswer::writeScalar(const SchemaType &type, std::string_view field, JsonWriter &out) const
{
    const DemoSnapshot &s = m_snapshot;
    if (type.name == "Stats") {
        if (field == "activeUsers")
            out.integer(s.activeUsers);
        else if (field == "queueDepth")
            out.integer(s.queueDepth);
        else if (field == "requestsTotal")
            out.number(double(s.requestsTotal));
        else
            out.number(s.errorRatio());
    } else if (type.name == "Health") {
        if (field == "status")
            out.string(s.degraded() ? "degraded" : "ok");
        else
            out.number(s.uptimeSeconds);
    } else {
        out.null();
    }
}

} // namespace pulse::demo
