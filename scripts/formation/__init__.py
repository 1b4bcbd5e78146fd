"""A formation: N replicas of the API's image behind one router (beyond the course).

The course runs the API as one container. A PaaS runs "multiple dynos in a formation":
many containers of one image, isolated from one another, behind a router that sends
each request to a replica that is ready. This package builds that here, with real
parts: podman containers and HAProxy.

    make formation REPLICAS=2 PORT=8080   # = python -m scripts.formation run ...
    make rollout PORT=8080 IMAGE=...      # = python -m scripts.formation rollout ...

| module          | concept                                                      |
|-----------------|--------------------------------------------------------------|
| ``state``       | the state folder: where a formation and a rollout meet       |
| ``containers``  | one replica: a container on its own port of 127.0.0.1        |
| ``router``      | HAProxy and its Runtime API (add, drain, remove a replica)   |
| ``supervisor``  | the foreground process: start, watch, replace, stop          |
| ``rollout``     | replace the replicas one at a time, with no failed request   |
"""
