#pragma once
/// \file
/// Everything a user of bloop for C++ needs, in one include: types, models, conditions, the
/// engine with its searches and streams, and the low-level client. The templates' own machinery
/// comes along (the search cursor and rules, the stream coordinator, `detail/`), as it must; left
/// out, to include by name: `types/local_datetime.hpp` (it brings the large `<date/tz.h>`),
/// `client/sigv4.hpp` and `testing/dynamodb_local.hpp`. A test holds this header's preprocessed
/// size under a stated bound (tests/CMakeLists.txt, `umbrella.size`).

#include <bloop/exceptions.hpp>
#include <bloop/signal.hpp>

#include <bloop/types/attribute_value.hpp>
#include <bloop/types/datetime.hpp>
#include <bloop/types/decimal.hpp>
#include <bloop/types/python_binary.hpp>
#include <bloop/types/type_traits.hpp>
#include <bloop/types/uuid.hpp>

#include <bloop/json/json.hpp>

#include <bloop/model/column.hpp>
#include <bloop/model/index.hpp>
#include <bloop/model/meta.hpp>
#include <bloop/model/model.hpp>
#include <bloop/model/model_info.hpp>
#include <bloop/model/object_state.hpp>
#include <bloop/model/single_table.hpp>

#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/condition.hpp>
#include <bloop/conditions/index_key.hpp>
#include <bloop/conditions/render.hpp>

#include <bloop/engine/collection.hpp>
#include <bloop/engine/engine.hpp>
#include <bloop/engine/events.hpp>
#include <bloop/engine/future.hpp>
#include <bloop/engine/search.hpp>
#include <bloop/engine/batch.hpp>
#include <bloop/engine/transaction.hpp>
#include <bloop/stream/lambda.hpp>
#include <bloop/stream/lease.hpp>
#include <bloop/stream/processor.hpp>
#include <bloop/stream/stream.hpp>

#include <bloop/client/client.hpp>
#include <bloop/client/credentials.hpp>
#include <bloop/client/endpoint.hpp>
#include <bloop/client/environment.hpp>
#include <bloop/client/http.hpp>
#include <bloop/client/log.hpp>
#include <bloop/client/operation.hpp>
#include <bloop/client/retry.hpp>
#include <bloop/telemetry/emf.hpp>
#include <bloop/telemetry/metrics.hpp>
#include <bloop/telemetry/otlp.hpp>
#include <bloop/telemetry/telemetry.hpp>
