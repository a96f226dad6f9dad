package dev.towerless.api.labels;

import dev.towerless.api.dialect.ApiContext;
import dev.towerless.api.dialect.ResourceController;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.resources.Schemas;
import io.micronaut.http.annotation.Controller;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code labels/}: AWX's labels, a name within an organization. They are attached through the
 * {@code labels/} lists of templates and inventories ({@link LabelLinks}); AWX deletes a label when
 * it is detached from the last thing carrying it, so there is no DELETE here.
 */
@Controller("/api/v2/labels")
public class LabelsController extends ResourceController {
    /** What may carry labels, where (jobs keep the names they were launched with). */
    static final List<String> CARRIERS = List.of(ResourceTypes.JOB_TEMPLATE, ResourceTypes.WORKFLOW_JOB_TEMPLATE,
            ResourceTypes.INVENTORY);

    public LabelsController(ApiContext ctx) {
        super(ctx, Schemas.LABEL);
    }

    @Override
    protected Set<String> unsupportedMethods() {
        return Set.of("DELETE");
    }

    /** The label of this name in the organization, if there is one (labels are unique by name and organization). */
    public java.util.Optional<Resource> existing(String name, long organization) {
        return ctx.resources().where(ResourceTypes.LABEL, "organization", organization).stream()
                .filter(l -> name.equals(l.name())).findFirst();
    }

    /** Deletes the label if nothing carries it any more (AWX's Label.is_detached). */
    void deleteIfDetached(long label) {
        for (String type : CARRIERS) {
            for (Resource r : ctx.resources().all(type)) {
                if (r.references("labels").contains(label)) {
                    return;
                }
            }
        }
        ctx.resources().delete(ResourceTypes.LABEL, label);
    }

    @Override
    protected void addRelated(Resource r, Map<String, Object> related) {
        // organization only: AWX's label has no other links
    }
}
