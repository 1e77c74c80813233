// Python- and Java-style stack traces for simulated handler crashes.
#include "demo/stack_trace.h"

namespace pulse::demo {
namespace {

std::string_view handlerName(std::string_view route)
{
    if (route.starts_with("/api/users"))
        return "users";
    if (route.starts_with("/login") || route.starts_with("/logout"))
        return "sessions";
    return "orders";
}

StackTrace pythonTrace(std::string_view handler, std::int64_t entityId)
{
    const std::string id = std::to_string(entityId);
    StackTrace trace;
    trace.summary = "shop.db.QueryTimeout: query on " + std::string(handler) + " exceeded 2000 ms (id=" + id + ")";
    trace.text = "Traceback (most recent call last):\n";
    trace.text += "  File \"/srv/shop/app/handlers/" + std::string(handler) + ".py\", line 88, in get\n";
    trace.text += "    item = repository.load(item_id)\n";
    trace.text += "  File \"/srv/shop/app/repository.py\", line 41, in load\n";
    trace.text += "    row = self.db.fetch_one(self.query, key)\n";
    trace.text += "  File \"/srv/shop/app/db.py\", line 133, in fetch_one\n";
    trace.text += "    raise QueryTimeout(f\"query on {self.table} exceeded {self.timeout_ms} ms (id={key})\")\n";
    trace.text += trace.summary;
    return trace;
}

StackTrace javaTrace(std::string_view handler, std::int64_t entityId)
{
    std::string type(handler);
    type[0] = char(type[0] - 'a' + 'A');
    StackTrace trace;
    trace.summary = "java.lang.IllegalStateException: " + std::string(handler) + " record " + std::to_string(entityId) +
                    " has no owner";
    trace.text = trace.summary + '\n';
    trace.text +=
        "\tat com.example.shop." + std::string(handler) + '.' + type + "Service.load(" + type + "Service.java:118)\n";
    trace.text += "\tat com.example.shop." + std::string(handler) + '.' + type + "Controller.get(" + type +
                  "Controller.java:52)\n";
    trace.text += "\tat com.example.shop.http.Router.dispatch(Router.java:77)\n";
    trace.text += "\tat com.example.shop.http.Worker.run(Worker.java:31)\n";
    trace.text += "Caused by: java.sql.SQLTransientConnectionException: pool timed out after 2000ms\n";
    trace.text += "\tat com.example.shop.db.Pool.acquire(Pool.java:212)\n";
    trace.text += "\t... 4 more";
    return trace;
}

} // namespace

StackTrace makeStackTrace(DemoRandom &random, std::string_view route, std::int64_t entityId)
{
    const std::string_view handler = handlerName(route);
    return random.chance(0.5) ? pythonTrace(handler, entityId) : javaTrace(handler, entityId);
}

} // namespace pulse::demo
