/*
 * server/fault_mail.c - the fault engine's mail rules as the state's mail
 * verdict hook (state_set_mail_rules()), so state/ never calls up into the
 * server.
 */
#include "../state/mail_delivery.h"
#include "srv.h"

void srv_mail_rules(void *ctx, const char *tenant_id, const char *recipient,
                    struct mail_verdict *v)
{
	struct srv *srv = ctx;

	fault_engine_mail(&srv->faults, tenant_id, recipient, v);
}
