package io.apexaudition.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** No key or password is committed: Kubernetes reads them from Secrets you create, compose from .env. */
class SecretsTest {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(key|password|secret|token).*");
    private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_-]{6,}|sk-ant-|-----BEGIN|AKIA[0-9A-Z]{12}");

    @Test
    void shouldCommitNoSecretInTheManifests() {
        for (String dir : List.of("deploy/overlays/dev", "deploy/overlays/prod", Manifests.REBUILD_JOB)) {
            Manifests manifests = Manifests.render(dir);
            assertThat(manifests.all(Secret.class)).as("%s renders a Secret: create it with kubectl create secret "
                    + "(deploy/README.md) instead of committing it", dir).isEmpty();
            for (ConfigMap configMap : manifests.all(ConfigMap.class)) {
                assertThat(configMap.getData().keySet()).as("%s: ConfigMap %s holds a secret-like key: read it from "
                                + "a Secret (secretKeyRef)", dir, configMap.getMetadata().getName())
                        .noneMatch(k -> SECRET_NAME.matcher(k).matches());
            }
            manifests.podSpecs().forEach((workload, spec) -> spec.getContainers().forEach(c -> {
                for (EnvVar env : c.getEnv()) {
                    if (SECRET_NAME.matcher(env.getName()).matches()) {
                        assertThat(env.getValueFrom()).as("%s: %s env %s must come from a Secret (secretKeyRef), "
                                + "not a literal", dir, workload, env.getName()).isNotNull();
                        assertThat(env.getValueFrom().getSecretKeyRef()).as("%s: %s env %s", dir, workload,
                                env.getName()).isNotNull();
                    }
                }
            }));
        }
    }

    @Test
    void shouldDocumentHowToCreateEverySecretTheManifestsRead() {
        String readme = RepoFiles.read("deploy/README.md");
        for (String overlay : Manifests.OVERLAYS) {
            Manifests.render(overlay).podSpecs().forEach((workload, spec) -> spec.getContainers().forEach(c -> {
                for (EnvVar env : c.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        assertThat(readme).as("deploy/README.md should show 'kubectl create secret generic %s' with "
                                + "--from-literal=%s= (read by %s in %s)", ref.getName(), ref.getKey(), workload,
                                overlay).contains("create secret generic " + ref.getName())
                                .contains("--from-literal=" + ref.getKey() + "=");
                    }
                }
            }));
        }
    }

    @Test
    void shouldHoldNoKeyLikeLiteralInAnyDeploymentFile() throws IOException {
        List<Path> files = new ArrayList<>(List.of(RepoFiles.path(Compose.FILE), RepoFiles.path(".env.example")));
        try (Stream<Path> deploy = Files.walk(RepoFiles.path("deploy"))) {
            // not build output that git ignores (deploy/docker/kafka/target/libs: the Kafka image's jars)
            deploy.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/target/")).forEach(files::add);
        }
        for (Path file : files) {
            String text = Files.readString(file);
            assertThat(KEY_LIKE.matcher(text).find()).as("%s holds a key-like literal (%s): never commit a key",
                    RepoFiles.ROOT.relativize(file), KEY_LIKE).isFalse();
        }
    }

    @Test
    void shouldTakeComposeSecretsFromDotEnvWithAtMostTheSimulatorsOwnKeys() {
        ServiceConfig simulator = ServiceConfig.of("provider-simulator");
        List<String> simulatorKeys = List.of(simulator.value("apex.simulator.openai-api-key", Map.of()),
                simulator.value("apex.simulator.anthropic-api-key", Map.of()));
        Compose compose = Compose.load();
        compose.services().forEach((name, service) -> service.environment().forEach((variable, raw) -> {
            if (SECRET_NAME.matcher(variable).matches()) {
                assertThat(raw).as("%s: service %s %s must be a ${...} from .env", Compose.FILE, name, variable)
                        .startsWith("${").endsWith("}");
                String value = Compose.interpolate(raw);
                assertThat(value).as("%s: service %s %s may default only to the simulator's own key", Compose.FILE,
                        name, variable).isIn(Compose.REQUIRED, "", simulatorKeys.get(0), simulatorKeys.get(1));
            }
        }));
    }

    @Test
    void shouldCommitAnEnvExampleWithEmptyValuesAndIgnoreDotEnv() {
        for (String line : RepoFiles.read(".env.example").lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(line).as(".env.example should leave every value empty: %s", line).endsWith("=");
            }
        }
        assertThat(RepoFiles.read(".gitignore").lines()).as(".gitignore should ignore .env").contains(".env");
    }
}
