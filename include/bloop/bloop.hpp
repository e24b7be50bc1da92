#pragma once
/// \file
/// Everything a user of bloop for C++ needs, in one include: types, models, conditions, the
/// engine with its searches and streams, and the low-level client. Internal machinery (the search
/// cursor and rules, the stream coordinator, SigV4) is not included; include it by name if needed.

#include <bloop/exceptions.hpp>
#include <bloop/signal.hpp>

#include <bloop/types/attribute_value.hpp>
#include <bloop/types/datetime.hpp>
#include <bloop/types/decimal.hpp>
#include <bloop/types/local_datetime.hpp>
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

#include <bloop/conditions/attr.hpp>
#include <bloop/conditions/condition.hpp>
#include <bloop/conditions/render.hpp>

#include <bloop/engine/engine.hpp>
#include <bloop/engine/events.hpp>
#include <bloop/engine/future.hpp>
#include <bloop/engine/search.hpp>
#include <bloop/engine/batch.hpp>
#include <bloop/engine/transaction.hpp>
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
