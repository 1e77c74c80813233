// GraphqlAnswer: answers POST /graphql bodies over the demo service's fixed schema
//
//   type Query  { stats: Stats, health: Health }
//   type Stats  { activeUsers: Int, queueDepth: Int, requestsTotal: Float, errorRatio: Float }
//   type Health { status: String, uptimeSeconds: Float }
//
// (plus __typename everywhere). HTTP statuses, following GraphQL over HTTP for application/json:
//   400 + {"errors":[…]}  the body is not a JSON object, has no "query" string, or has a
//                         "variables"/"operationName" of the wrong type;
//   200 + {"errors":[…]}  syntax and validation errors (with line/column), unknown operation name;
//   200 + {"data":{…}}    success, members in selection order under their aliases.
#pragma once

#include "demo/demo_types.h"
#include "demo/graphql_lexer.h"
#include "demo/graphql_parser.h"

#include <string>
#include <string_view>
#include <vector>

namespace pulse::demo {

class JsonWriter;
struct SchemaType;

class GraphqlAnswer {
public:
    explicit GraphqlAnswer(DemoSnapshot snapshot);

    /// answer handles one request body (JSON with "query", optional "variables" and "operationName").
    HttpAnswer answer(std::string_view requestBody) const;

    /// answerQuery executes query text directly; operationName may be empty.
    HttpAnswer answerQuery(std::string_view query, std::string_view operationName) const;

private:
    using FieldGroup = std::pair<std::string, std::vector<const GraphqlField *>>;

    static std::vector<FieldGroup> groupByResponseKey(const std::vector<const GraphqlField *> &fields);
    void validateFields(const SchemaType &type, const std::vector<GraphqlField> &fields,
                        std::vector<GraphqlError> &errors) const;
    void checkConflicts(const SchemaType &type, const std::vector<const GraphqlField *> &fields,
                        std::vector<GraphqlError> &errors) const;
    void writeObject(const SchemaType &type, const std::vector<const GraphqlField *> &fields, JsonWriter &out) const;
    void writeScalar(const SchemaType &type, std::string_view field, JsonWriter &out) const;

    DemoSnapshot m_snapshot;
};

} // namespace pulse::demo
